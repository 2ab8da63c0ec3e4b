/** English texts of the console; the shape is the source of truth that zh-CN must match. */
export const en = {
  resources: {
    policies: {
      name: 'Policy |||| Policies',
      fields: { key: 'Key', name: 'Name', description: 'Description', activeVersionId: 'In effect' },
    },
    'policy-versions': {
      name: 'Version |||| Versions',
      fields: { number: 'Version', status: 'Status', changeNote: 'Change note', effectiveFrom: 'Effective from' },
    },
    simulations: {
      name: 'Simulation |||| Simulations',
      fields: { createdAt: 'Started', policyId: 'Policy', candidateVersionId: 'Candidate ← baseline', status: 'Status', createdBy: 'By' },
    },
    decisions: {
      name: 'Decision |||| Decisions',
      fields: { evaluatedAt: 'Evaluated at', customerId: 'Customer ID', policy: 'Policy', tier: 'Tier', from: 'From', to: 'To' },
    },
    datasets: { name: 'Dataset |||| Datasets', fields: { name: 'Name', rowCount: 'Rows' } },
    facts: {
      name: 'Fact |||| Facts',
      fields: { key: 'Key', label: 'Label', labelEn: 'English label', type: 'Type', unit: 'Unit', enumValues: 'Allowed values', description: 'Description' },
    },
    benefits: {
      name: 'Benefit |||| Benefits',
      fields: { key: 'Key', name: 'Name', nameEn: 'English name', unitCost: 'Unit cost (CNY)', description: 'Description' },
    },
    'benefit-packages': {
      name: 'Benefit package |||| Benefit packages',
      fields: { key: 'Key', name: 'Name', nameEn: 'English name', benefits: 'Benefits' },
    },
    users: {
      name: 'User |||| Users',
      fields: { username: 'Username', roles: 'Roles', active: 'Active', createdAt: 'Created', password: 'New password' },
    },
    'audit-events': {
      name: 'Audit log',
      fields: {
        seq: '#', at: 'Time', actor: 'Actor', action: 'Action', entityType: 'Entity type', entityId: 'Entity ID',
        comment: 'Comment', diff: 'Changes', from: 'From', to: 'To',
      },
    },
  },
  tw: {
    app: { title: 'Tierwise' },
    factTypes: {
      number: 'Number', integer: 'Integer', boolean: 'Yes / no', string: 'Text', enum: 'One of a list', 'string[]': 'List of texts', date: 'Date',
    },
    validation: { key: 'Letters, digits and _ only, starting with a letter' },
    status: {
      draft: 'Draft', in_review: 'In review', approved: 'Approved', scheduled: 'Scheduled', published: 'Published',
      superseded: 'Superseded', retired: 'Retired', active: 'In effect',
    },
    dashboard: {
      title: 'Overview',
      health: { title: 'System health', status: 'Status', database: 'Database', version: 'Version', unreachable: 'The API cannot be reached' },
      policies: 'Policies in effect', review: 'Waiting for my review', nothingToReview: 'Nothing waiting for your review.',
      simulations: 'Recent simulations', audit: 'Audit chain',
    },
    policies: {
      versions: 'Versions', noVersions: 'No versions yet.', noActive: 'Nothing in effect', newDraft: 'New draft', defaultTier: 'Everyone else',
    },
    templates: {
      button: 'From template', title: 'New policy from a shipped template', template: 'Template',
      keyHelp: 'The new policy\'s key (letters, digits, - and _); the template\'s own by default',
      create: 'Create draft', created: 'Policy %{key} created as a draft with %{tests} test cases',
    },
    roles: { admin: 'Administrator', author: 'Policy author', approver: 'Approver', compliance: 'Compliance', viewer: 'Viewer', service: 'System (API)' },
    workflow: {
      submit: 'Submit for review', approve: 'Approve', reject: 'Reject', publish: 'Publish', retire: 'Retire',
      'new-draft': 'New draft from this version', comment: 'Comment', effectiveFrom: 'Effective from', now: 'Now', tomorrow: 'Tomorrow 00:00',
      saveFailed: 'Saving the draft failed; nothing was submitted.',
      done: {
        submit: 'Submitted for review', approve: 'Approved', reject: 'Sent back to draft', publish: 'Published',
        retire: 'Retired', 'new-draft': 'New draft created',
      },
    },
    builder: {
      tabs: { tiers: 'Tiers', scores: 'Scorecards', eligibility: 'Eligibility', conditions: 'Named conditions', json: 'JSON' },
      firstMatchWins: 'Best tier first: a customer gets the first tier whose conditions hold. A last tier without conditions catches everyone else.',
      tierKey: 'Key', tierName: 'Name', tierNameEn: 'English name', benefitPackage: 'Benefit package', noPackage: 'None',
      addTier: 'Add tier', newTier: 'Tier', catchAll: 'Catch-all: every customer not placed above', addConditions: 'Add conditions',
      makeCatchAll: 'Make it the catch-all (remove conditions)',
      all: 'All of these hold', any: 'Any of these holds', not: 'None of this holds',
      addCondition: 'Condition', addGroup: 'Group', addNot: 'Not', addReference: 'Named condition',
      fact: 'Fact', operator: 'Operator', value: 'Value', min: 'From', max: 'To', days: 'Days', otherFact: 'Other fact',
      compareFact: 'Compare with a fact', namedCondition: 'Named condition', unknownNode: 'This part can only be edited in the JSON tab.',
      scoresHelp: 'Scorecards run in order; each result becomes a fact named by its key, usable by later scorecards, eligibility and tiers.',
      scoreKey: 'Score key', scoreLabel: 'Label', round: 'Decimals', components: 'Components', componentLabel: 'Label',
      weight: 'Weight', points: 'Points', factor: 'Factor', multipliers: 'Multipliers',
      addWeighted: 'Weighted fact', addPoints: 'Points if…', addMultiplier: 'Multiplier', addScorecard: 'Add scorecard',
      eligibilityHelp: 'Who is rated at all: a customer failing this gets no tier ("not rated").',
      everyoneRated: 'Every customer is rated.', addEligibility: 'Add eligibility rule',
      namedHelp: 'Conditions defined once and reused in tiers as a named condition.', conditionName: 'Name', addNamed: 'Add',
      issueSummary: '%{errors} error(s), %{warnings} warning(s)',
      changeNote: 'Change note', saved: 'Draft saved', conflict: 'Someone else changed this draft. Reload to see their version.',
      json: { notObject: 'The definition must be a JSON object.', noTiers: 'The definition needs a "tiers" list.' },
    },
    trace: { eligibility: 'Eligibility', all: 'All of', any: 'Any of', not: 'Not', missing: '(missing)' },
    tryIt: {
      title: 'Try it', run: 'Evaluate', tier: 'Tier', notRated: 'Not rated', saveFirst: 'Unsaved changes: evaluation uses the saved draft.',
      caseName: 'Test case name', addCase: 'Keep as test case', caseAdded: 'Test case added', details: 'Every condition checked',
    },
    tests: {
      title: 'Test cases', run: 'Run', none: 'No test cases yet: add one from "Try it".', expected: 'Expected', actual: 'Got',
      pass: 'Pass', fail: 'Fail', summary: '%{passed} of %{total} passed',
    },
    simulation: {
      title: 'Simulation', new: 'New simulation', run: 'Simulate', latest: 'Latest simulation', none: 'Not simulated yet.', open: 'Open report',
      policy: 'Policy', candidate: 'Candidate', baseline: 'Baseline', activeBaseline: 'Version in effect (default)',
      dataset: 'Dataset', upload: 'Upload CSV', rows: 'Rows', generate: 'Generate synthetic', synthetic: 'Synthetic',
      groupBy: 'Break down by', start: 'Start simulation',
      status: { queued: 'Queued', running: 'Running', succeeded: 'Done', failed: 'Failed', cancelled: 'Cancelled' },
      customers: 'Customers', upgrades: 'Upgrades', downgrades: 'Downgrades', unchanged: 'Unchanged', costChange: 'Benefit cost change',
      distribution: 'Customers per tier', matrix: 'Migration matrix', matrixHelp: 'Rows: baseline tier; columns: candidate tier. Click a cell to see its customers.',
      move: { up: 'Upgrade', down: 'Downgrade', same: 'Unchanged' },
      groups: 'By group', group: 'Group', baselineWhy: 'Under the baseline:', idColumn: 'Customer ID column', tier: 'Tier', exportCsv: 'Export CSV', noSamples: 'No sample customers were kept for this cell.',
    },
    decisions: { inputs: 'Inputs', why: 'Why' },
    diff: {
      title: 'Compare versions', left: 'Before', right: 'After', same: 'The two versions are identical.', comparePrevious: 'Compare with previous',
      compareBase: 'Compare with base', added: 'Added', removed: 'Removed', changed: 'Changed', unchanged: 'Unchanged',
      other: 'Eligibility, named conditions and scorecards', what: 'What', before: 'Before', after: 'After',
    },
    audit: {
      breaks: {
        SEQUENCE_GAP: 'an event is missing', PREV_HASH_MISMATCH: 'its link to the previous event does not hold',
        CONTENT_MISMATCH: 'its content was changed after it was written', ANCHOR_REWRITTEN: 'the chain was rewritten since the anchor was taken',
        EVENTS_REMOVED: 'events at the end were removed',
      },
      verify: 'Verify chain', chainValid: 'Chain intact: %{count} events verified', chainBroken: 'Chain broken at event %{at}: %{reason} (%{count} events verified before it)',
      anchor: 'Anchor to keep outside Tierwise (verify?anchor= checks it later)',
      entity: {
        fact: 'Fact', benefit: 'Benefit', benefit_package: 'Benefit package', policy: 'Policy', policy_version: 'Policy version',
        test_case: 'Test case', user: 'User', dataset: 'Dataset', simulation: 'Simulation',
      },
    },
  },
};

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
/** Same keys as `en`, any strings: every locale must translate every key. */
export type AppMessages = Messages<typeof en>;
