// Import resolver for eslint-plugin-boundaries: the `@/…` alias of tsconfig.json ("@/*" → "./*"),
// then Node's resolution with TypeScript's extensions. Without it every `@/server/…` import is an
// unresolvable "external" module and no import rule applies to it.
const path = require('node:path');
const nodeResolver = require('eslint-import-resolver-node');

const root = path.resolve(__dirname, '..');
const extensions = ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'];

exports.interfaceVersion = 2;
exports.resolve = (source, file) => {
  const target = source.startsWith('@/') ? path.join(root, source.slice(2)) : source;
  return nodeResolver.resolve(target, file, { extensions });
};
