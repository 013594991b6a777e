/** Jest runs the TypeScript sources as native ESM (swc strips types), the same module system the Lambda bundles use. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  // e2e files wait on scrypt and dynalite as much as on the CPU: one worker per core halves the suite's time
  maxWorkers: '100%',
};
