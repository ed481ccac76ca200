/** The words free-text questions are read with. Only the keyword families are matched with typos. */

export type Topic = 'renewals' | 'trials' | 'conversions' | 'seats' | 'version' | 'status';

/** Words that say what is asked; 'expiry' means trials when trials are mentioned, renewals otherwise. */
export const KEYWORDS: Record<string, Topic | 'expiry'> = {
  renew: 'renewals', renews: 'renewals', renewal: 'renewals', renewals: 'renewals', renewing: 'renewals', renewed: 'renewals',
  expire: 'expiry', expires: 'expiry', expiring: 'expiry', expiry: 'expiry', expiration: 'expiry', expirations: 'expiry',
  trial: 'trials', trials: 'trials', trialing: 'trials',
  convert: 'conversions', converts: 'conversions', converted: 'conversions', converting: 'conversions',
  conversion: 'conversions', conversions: 'conversions',
  seat: 'seats', seats: 'seats',
  version: 'version', versions: 'version', release: 'version',
  status: 'status', about: 'status', doing: 'status', "how's": 'status', info: 'status', information: 'status',
  details: 'status', detail: 'status', lookup: 'status', overview: 'status', summary: 'status',
  paid: 'status', active: 'status', expired: 'status', suspended: 'status', uninstalled: 'status', installed: 'status',
  churned: 'status', cancelled: 'status', canceled: 'status',
};

/** The keyword forms a typo may stand for ("renewls", "trails", "convrted", "staus", "seets", "verison"). */
export const FUZZY_KEYWORDS = [
  'renew', 'renews', 'renewal', 'renewals', 'renewing', 'expire', 'expires', 'expiring', 'expiration',
  'trial', 'trials', 'convert', 'converts', 'converted', 'conversion', 'conversions',
  'seats', 'version', 'versions', 'status',
];

/** Two-word cues: "what's up with Acme", "look up Acme", "more seats than", "too many seats". */
export const PAIR_CUES: Array<{ words: [string, string]; role: 'status' | 'over' }> = [
  { words: ['up', 'with'], role: 'status' },
  { words: ['look', 'up'], role: 'status' },
  { words: ['more', 'than'], role: 'over' },
  { words: ['too', 'many'], role: 'over' },
];

/** "Who is over their seats": using more than bought. */
export const OVER_WORDS = new Set([
  'over', 'exceed', 'exceeds', 'exceeded', 'exceeding', 'above', 'beyond', 'overused', 'overusing',
  'overallocated', 'over-allocated', 'oversubscribed', 'overage', 'overages',
]);

/** A question about everyone, not one customer: "who", "which customers", "anyone". */
export const LIST_WORDS = new Set([
  'who', 'whose', 'anyone', 'anybody', 'everyone', 'everybody', 'customers', 'accounts', 'companies', 'clients', 'orgs',
]);

/** The customer talked about just before: "their seats", "when do they renew". "IT" in capitals is a name. */
export const PRONOUNS = new Set(['they', 'them', 'their', 'theirs', "they're", 'it', 'its', "it's", 'he', 'she', 'his', 'her']);
/** "this customer", "that account", "that one". */
export const DEMONSTRATIVES = new Set(['this', 'that']);
export const REFERENT_NOUNS = new Set(['customer', 'account', 'company', 'client', 'one', 'org']);

/** Grammar and filler: never part of a customer name at its edges, never a question on their own. */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', "isn't", "aren't",
  'do', 'does', 'did', "don't", "doesn't", "didn't", 'has', 'have', 'had', 'having', "hasn't", "haven't",
  'will', 'would', 'shall', 'should', 'can', 'could', 'may', 'might', 'must', "won't", "can't",
  'i', 'me', 'my', 'we', 'us', 'our', 'you', 'your', 'u', "i'm", "we're",
  'what', "what's", 'whats', 'wats', 'wat', 'which', 'wich', 'whcih', 'teh', 'dose', "who's", 'when', "when's", 'where', "where's", 'why', 'how',
  'there', "there's", 'here', 'this', 'that', 'these', 'those',
  'of', 'for', 'to', 'in', 'on', 'at', 'by', 'with', 'from', 'into', 'as', 'than', 'up', 'down', 'out', 'off',
  'and', 'or', 'but', 'so', 'also', 'too', 'then', 'just', 'only', 'still', 'yet', 'ever', 'already', 'again',
  'now', 'currently', 'right', 'presently', 'soon', 'soonest', 'later', 'next', 'last',
  'please', 'pls', 'plz', 'thanks', 'thank', 'thx', 'ty', 'hey', 'hi', 'hello', 'yo', 'ok', 'okay', 'lma', 'bot',
  'tell', 'show', 'give', 'let', 'know', 'see', 'check', 'find', 'get', 'got', 'list', 'look', 'want', 'need', 'like',
  'any', 'some', 'all', 'every', 'much', 'many', 'more', 'most', 'less', 'few', 'number', 'count', 'total',
  'overall', 'altogether', 'exactly',
  'use', 'uses', 'used', 'using', 'run', 'runs', 'running', 'bought', 'buy', 'purchased', 'own', 'owns', 'pay', 'pays',
  'come', 'comes', 'coming', 'go', 'goes', 'going', 'due', 'happen', 'happens', 'happening', 'upcoming',
  'end', 'ends', 'ending', 'finish', 'finishes', 'finishing', 'left', 'remain', 'remaining', 'run-out',
  'license', 'licenses', 'licence', 'licences', 'account', 'customer', 'org', 'package', 'packages',
  'app', 'apps', 'subscription', 'subscriptions', 'contract', 'contracts', 'plan', 'date', 'dates', 'on-trial',
  'someone', 'somebody', 'ones', 'one', 'yes', 'no', 'not', 'anything', 'something',
]);

/** The only grammar words a customer name may contain: "Bank of America", "Johnson and Johnson". */
export const NAME_JOINERS = new Set(['of', 'and', 'the', 'de', 'la', 'du', 'van', 'von', 'der', 'y']);

/** Leading words that make "can you delete Acme" start with its verb. */
export const REQUEST_LEADS = new Set([
  'please', 'pls', 'plz', 'kindly', 'can', 'could', 'would', 'will', 'you', 'u', 'hey', 'hi', 'lma', 'i', "i'd",
  'want', 'to', 'need', 'like', 'go', 'ahead', 'and', 'just', 'how', 'do',
]);

/** Verbs that would change data: the bot only reads, so these are declined outright. */
export const MUTATING_VERBS = new Set([
  'delete', 'remove', 'cancel', 'update', 'change', 'modify', 'edit', 'extend', 'reset', 'create', 'add', 'revoke',
  'suspend', 'unsuspend', 'activate', 'deactivate', 'disable', 'enable', 'grant', 'increase', 'decrease', 'upgrade',
  'downgrade', 'uninstall', 'set', 'assign', 'transfer', 'convert', 'renew', 'expire', 'terminate', 'kill', 'drop',
  'wipe', 'purge', 'insert', 'merge', 'approve', 'reject', 'move', 'rename',
]);

/** Whole messages that ask what the bot can do (after greetings and "please" are dropped). */
export const HELP_PATTERN =
  /^(help|help me|help please|what can (you|i) (do|ask)( you)?( for)?|what (do|can) you (do|know|answer)|what can i ask( you)?|how (does this|do (you|i)) work|how do i use (this|you|it|lma|the bot)|what are (your|the) commands|commands|usage|examples?|)$/;
/** Dropped before matching HELP_PATTERN, so "hi", "hey lma, help!" and "help please" all read as help. */
export const GREETINGS = new Set(['hi', 'hey', 'hello', 'yo', 'lma', 'bot', 'please', 'pls', 'thanks', 'there']);
/** Words before a bare name that still leave it bare: "and Globex?". */
export const CONNECTORS = new Set(['and', 'also', 'or']);
