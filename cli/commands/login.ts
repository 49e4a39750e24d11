// `login`: check the URL and token with one API call, then store them for the next commands.
import { stringFlag } from '../args';
import { writeConfig, tokenSchema, urlSchema } from '../config';
import { emit, get, text, type Command } from '../context';
import { usageError } from '../errors';
import { Api, type Fetch } from '../http';

export const login = (fetchImpl?: Fetch): Command => ({
  path: ['login'],
  args: ['url?'],
  flags: ['token', 'url'],
  summary: 'Store the console URL and an API token (checked first) in the config file, mode 0600',
  async run(ctx) {
    const rawUrl = ctx.args.url || stringFlag(ctx.flags.url) || ctx.env.SWITCHBACK_URL;
    if (!rawUrl) throw usageError('login: give the console URL, e.g. switchback login http://127.0.0.1:3000 --token sbt_…');
    const url = urlSchema.safeParse(rawUrl);
    if (!url.success) throw usageError(`URL: ${url.error.issues[0]?.message}`);
    // The token: --token, SWITCHBACK_TOKEN, or the first line on stdin (keeps it out of shell history).
    const rawToken = stringFlag(ctx.flags.token) || ctx.env.SWITCHBACK_TOKEN || (await ctx.readStdin()).split('\n')[0]!.trim();
    if (!rawToken) throw usageError('login: give the token with --token, SWITCHBACK_TOKEN or on stdin (create one in the console: Settings → API tokens).');
    const token = tokenSchema.safeParse(rawToken);
    if (!token.success) throw usageError(`Token: ${token.error.issues[0]?.message}`);
    const api = new Api(url.data, token.data, fetchImpl);
    // One call a viewer may make: a refused token fails here (exit 2) and nothing is stored.
    const res = await api.get('/status');
    writeConfig(ctx.configPath, { url: url.data, token: token.data });
    emit(ctx, { url: url.data, configPath: ctx.configPath, status: res.body }, () => {
      const halt = get(res.body, 'halt', 'engaged') === true ? ' The halt is ENGAGED.' : '';
      return `Logged in to ${url.data} (token ${text(rawToken.slice(0, 12))}…). Saved in ${ctx.configPath}.${halt}\n`;
    });
  },
});
