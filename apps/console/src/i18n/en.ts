/** English texts of the console; the shape is the source of truth that zh-CN must match. */
export const en = {
  resources: {
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
  },
  tw: {
    factTypes: {
      number: 'Number', integer: 'Integer', boolean: 'Yes / no', string: 'Text', enum: 'One of a list', 'string[]': 'List of texts', date: 'Date',
    },
    validation: { key: 'Letters, digits and _ only, starting with a letter' },
    app: { title: 'Tierwise' },
    dashboard: {
      title: 'Overview',
      health: {
        title: 'System health',
        status: 'Status',
        database: 'Database',
        version: 'Version',
        unreachable: 'The API cannot be reached',
      },
    },
  },
};

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
/** Same keys as `en`, any strings: every locale must translate every key. */
export type AppMessages = Messages<typeof en>;
