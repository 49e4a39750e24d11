throw new Error('@prisma/streams-local is not installed: Switchback does not use `prisma dev` (see package.json overrides).');
