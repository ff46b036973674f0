// Command-line options of the benchmark's node programs: `--name value` pairs over defaults.
'use strict';

// The options of `program` (its name prefixes every error), and the helpers its code uses.
module.exports = function options(program, defaults) {
  const fail = message => {
    process.stderr.write(program + ': ' + message + '\n');
    process.exit(2);
  };
  const positive = (value, name) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) fail(name + ' must be a positive whole number, not ' + value);
    return n;
  };
  const values = {...defaults};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || i + 1 >= argv.length) fail('unknown or incomplete option ' + argv[i]);
    values[key] = argv[i + 1];
  }
  return {values, positive, fail};
};
