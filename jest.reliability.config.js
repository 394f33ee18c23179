/** npm run test:reliability: the slow scenarios that kill and restart processes (also run by .ci/run). */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 300000,
  maxWorkers: 1,
};
