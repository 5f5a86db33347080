require('./check.cjs')
  .check(
    async (specifier) => require(specifier),
    (specifier) => require.resolve(specifier),
  )
  .then((result) => console.log(`RESULT ${JSON.stringify(result)}`));
