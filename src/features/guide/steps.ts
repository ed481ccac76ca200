/**
 * The install guide's content: one stage per thing a person does, as data. The machine moves between these;
 * the view renders them. Written from Salesforce's LMA installation notes, in our own words.
 */

/**
 * How a stage is passed:
 * - `task`: something to do, confirmed with Done (or skipped when `skippable`);
 * - `decision`: needs an answer typed in the thread before Done counts (the LMO's name);
 * - `warning`: needs an explicit "I understand", never Done or Skip.
 */
export type StageKind = 'task' | 'decision' | 'warning';

export interface Stage {
  id: string;
  kind: StageKind;
  title: string;
  /** What to do, as mrkdwn lines. */
  todo: string[];
  /** Why it matters. */
  why: string;
  /** Extra help for "I'm stuck", before the support path. */
  stuck: string;
  skippable: boolean;
  /** The org check runs when the guide reaches this stage. */
  checksOrg?: boolean;
}

/** Where to turn when the guide is not enough. */
export const SUPPORT_PATH =
  'Log a case in the Salesforce Partner Community under *AppExchange and Feature Requests › License Management App*. Salesforce handles LMA installs and moves there.';

export const STAGES: readonly Stage[] = [
  {
    id: 'choose-lmo',
    kind: 'decision',
    title: 'Choose the License Management Org (LMO)',
    todo: [
      'Pick the org that will hold your license records: normally the *production org* where your sales, billing and marketing happen.',
      'Partners who qualify can ask for a *CRM for ISVs* org in the Partner Community: its ISV business org comes with the LMA already installed.',
      '*Never* pick a Developer Edition org that you use to build a managed package.',
      '*Which org will be the LMO?* Reply in this thread with its name (for example `LMO: Acme Production`), then click *Done*.',
    ],
    why: 'The LMA writes a lead and a license record whenever a customer installs a trial, and turns licenses into paid ones (site-wide or per user) when they buy. It tracks who installed, who uses the package, how many seats were bought and when each license renews: that is sales data, so it lives where sales work happens.',
    stuck:
      'If you are unsure, pick the org your sales team already works in. A CRM for ISVs org saves the install altogether: the LMA is pre-installed there.',
    skippable: false,
  },
  {
    id: 'lmo-is-permanent',
    kind: 'warning',
    title: 'Confirm: the LMO choice is permanent',
    todo: [
      ':warning: Once a package’s licenses are managed from an LMO, they *cannot be moved* to another org, and neither can their leads or any other LMA data.',
      'Click *I understand* (or type `I understand`) to go on.',
    ],
    why: 'Choosing the wrong org cannot be corrected later: every license record of the package stays in this org for good.',
    stuck: 'If anyone doubts the choice, go *Back* and settle it before confirming.',
    skippable: false,
  },
  {
    id: 'lma-is-permanent',
    kind: 'warning',
    title: 'Confirm: the LMA cannot be uninstalled by you',
    todo: [
      ':warning: Once installed, the License Management App can only be removed by contacting *Salesforce Support*.',
      'Click *I understand* (or type `I understand`) to go on.',
    ],
    why: 'Installing it in a test or wrong org leaves it there until Support removes it.',
    stuck: 'Make sure the org named in step 1 is the one you will log in to later.',
    skippable: false,
  },
  {
    id: 'file-case',
    kind: 'task',
    title: 'Ask Salesforce for the LMA',
    todo: [
      'In the Partner Community, file a case under *AppExchange and Feature Requests › License Management App*, naming the org you chose.',
      'Click *Done* once the case is filed. Skip this step if your org already has the LMA (a CRM for ISVs org does).',
    ],
    why: 'The LMA is not on public AppExchange listings: Salesforce sends the installation link in answer to this case.',
    stuck: 'No Partner Community access? Ask whoever manages your AppExchange partnership to file it or to add you.',
    skippable: true,
  },
  {
    id: 'open-link',
    kind: 'task',
    title: 'Open the installation link in the LMO',
    todo: [
      'When the case is resolved, an email brings an installation URL.',
      'Log in to the org you chose as the LMO (and only that one), then open the link in the same browser.',
    ],
    why: 'The link installs into whichever org you are logged in to: being in the right org is what makes the choice stick.',
    stuck: 'Link expired or lost? Reply to the case and ask for a new one.',
    skippable: true,
  },
  {
    id: 'start-install',
    kind: 'task',
    title: 'Start the installation',
    todo: [
      'Read about the app and click *Get It Now*.',
      'Choose *In my production Salesforce*.',
      'Agree to the terms and click *Install*.',
      'Verify your password and click *Submit*.',
    ],
    why: 'These screens tie the install to your production org and to your login.',
    stuck:
      'If *In my production Salesforce* is missing, you are logged in to a sandbox or the wrong org: log out and open the link again from the LMO.',
    skippable: true,
  },
  {
    id: 'finish-install',
    kind: 'task',
    title: 'Finish the installation',
    todo: [
      'On *Package Installation Details*, click *Continue*.',
      'Click *Next*, then *Next* again, then *Install*.',
      'Wait for the email that says the install completed.',
    ],
    why: 'The LMA’s objects (Licenses, Packages, Package Versions) exist only once this completes.',
    stuck: 'Installs can take several minutes. If it fails, the email says why; add it to your Partner Community case.',
    skippable: true,
  },
  {
    id: 'verify',
    kind: 'task',
    title: 'Check the LMA is installed',
    todo: [
      'In the LMO, open *Setup › Installed Packages* and look for *License Management App*.',
      'I also look in the org I am connected to; type `check` to look again. Click *Done* to finish.',
    ],
    why: 'A confirmed install is the starting point for registering your package and reading its licenses here.',
    stuck: 'If I cannot see the LMA, I may be connected to another org: the bot’s admin sets which org I read.',
    skippable: false,
    checksOrg: true,
  },
];

/** What to do once the LMA is in place. */
export const NEXT_STEPS: readonly string[] = [
  'Register your managed package with this LMO (from the Partner Console, link the package to this org).',
  'Set the package’s default license terms (trial length, seats, site-wide or per user).',
  'Turn on field history tracking for the License object’s *Status*, *Seats* and *Expiration* fields, so conversions and changes can be reported.',
];

/** Names that mean a Developer Edition or packaging org: such an org must never become the LMO. */
const DEVELOPMENT_ORG = /\b(dev(eloper)?[\s-]*(edition|org)|packaging[\s-]*org|DE[\s-]*org|scratch[\s-]*org)\b/i;

export function looksLikeDevelopmentOrg(name: string): boolean {
  return DEVELOPMENT_ORG.test(name);
}
