// Label key and value rules with the wording of apimachinery's validation package, because
// kubectl shows the server's message verbatim and users search for it.

const MAX_NAME_LENGTH = 63;
const MAX_PREFIX_LENGTH = 253;

const NAME_PATTERN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const NAME_RULE =
  "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS_SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const tooLong = (max: number) => `must be no more than ${max} characters`;

/** Problems with a label key ("[prefix/]name"); empty when the key is valid. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name must ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const problems: string[] = [];
  const name = parts.at(-1) ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') problems.push('prefix part must be non-empty');
    else problems.push(...dnsSubdomainProblems(prefix).map((problem) => `prefix part ${problem}`));
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (name.length > MAX_NAME_LENGTH) problems.push(`name part ${tooLong(MAX_NAME_LENGTH)}`);
  if (!NAME_PATTERN.test(name)) problems.push(`name part must ${NAME_RULE}`);
  return problems;
}

/** Problems with a label value; empty when the value is valid ("" is valid). */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > MAX_NAME_LENGTH) problems.push(tooLong(MAX_NAME_LENGTH));
  if (!VALUE_PATTERN.test(value)) problems.push(VALUE_RULE);
  return problems;
}

function dnsSubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > MAX_PREFIX_LENGTH) problems.push(tooLong(MAX_PREFIX_LENGTH));
  if (!DNS_SUBDOMAIN_PATTERN.test(value)) problems.push(DNS_SUBDOMAIN_RULE);
  return problems;
}

/** One field error in the "<path>: Invalid value: <value>: <detail>" form Kubernetes prints. */
export function invalidValue(path: string, value: string | string[] | null, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

/** Several errors read like Kubernetes' aggregate: one stays bare, more go in brackets. */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}
