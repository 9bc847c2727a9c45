// The house style as it was written before Prettier, so that adopting it changed as few lines as
// possible. Lines rewritten over the repository, by printWidth: 140: 2,178; 150: 1,682;
// 160: 1,496; 170: 1,564. Prettier's other defaults (semicolons, trailing commas, spaces inside
// braces) were already the rule.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
  overrides: [
    // Compose files, like most YAML, quote with double quotes.
    { files: ['*.yml', '*.yaml'], options: { singleQuote: false } },
  ],
};
