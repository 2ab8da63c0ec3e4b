import { BooleanInput, CheckboxGroupInput, Create, PasswordInput, required, SimpleForm, TextInput, useTranslate } from 'react-admin';

const EVENTS = ['tier.changed', 'tier.downgrade_pending'];

/** A new webhook: URL (public addresses only), the events it receives, the signing secret. */
const WebhookCreate = () => {
  const translate = useTranslate();
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ events: EVENTS, active: true }}>
        <TextInput
          source="url"
          label={translate('tw.events.webhooks.url')}
          helperText={translate('tw.events.webhooks.urlHelp')}
          validate={required()}
          fullWidth
        />
        <CheckboxGroupInput
          source="events"
          label={translate('tw.events.webhooks.events')}
          choices={EVENTS.map((e) => ({ id: e, name: e }))}
          validate={required()}
        />
        <PasswordInput
          source="secret"
          label={translate('tw.events.webhooks.secret')}
          helperText={translate('tw.events.webhooks.secretHelp')}
          validate={required()}
          fullWidth
        />
        <BooleanInput source="active" label={translate('tw.events.webhooks.active')} />
      </SimpleForm>
    </Create>
  );
};

export default WebhookCreate;
