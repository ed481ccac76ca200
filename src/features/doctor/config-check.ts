/** Configuration: the same validation as start-up, every problem at once. */
import { type Check, finding } from './types.js';

export const configCheck: Check = {
  section: 'Configuration',
  name: 'configuration',
  async run({ config, configProblems }) {
    if (configProblems.length > 0)
      return configProblems.map((problem) =>
        finding(
          'Configuration',
          'configuration',
          'fail',
          problem,
          'Fix it in .env (see .env.example for every variable).',
        ),
      );
    if (!config) return [];
    const slack = { sandbox: 'the local Slack sandbox', http: 'HTTP mode', socket: 'Socket Mode' }[config.slack.mode];
    const lmo = config.lmo.kind === 'embedded' ? 'the embedded demo LMO' : 'a Salesforce org';
    return [finding('Configuration', 'configuration', 'ok', `valid: Slack in ${slack}, licenses from ${lmo}.`)];
  },
};
