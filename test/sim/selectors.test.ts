import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../source/sim/objects.js';
import {
  formatLabelSelector,
  formatRequirement,
  matcherFromLabelSelector,
  matcherFromServiceSelector,
  parseFieldRequirements,
  parseFieldSelector,
  parseLabelRequirements,
  parseLabelSelector,
  SelectorError,
} from '../../source/sim/selectors.js';

// Long detail texts exactly as kubectl v1.32 printed them (`kubectl top pod -l …` parses the
// selector client-side with apimachinery's parser, so its errors are the server's wording).
const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PREFIX_RULE =
  "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const OPERATORS = 'in, notin, =, ==, !=, gt, lt';
const k64 = 'k'.repeat(64);
const dash64 = '-'.repeat(64);

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof SelectorError) return error.message;
    throw error;
  }
  throw new Error('expected a SelectorError');
};

describe('parseLabelSelector matching', () => {
  const web = { app: 'web', tier: 'front', version: '12' };
  it.each([
    { selector: '', labels: web, expected: true },
    { selector: '   ', labels: undefined, expected: true },
    { selector: 'app=web', labels: web, expected: true },
    { selector: 'app==web', labels: web, expected: true },
    { selector: 'app=api', labels: web, expected: false },
    { selector: 'app!=api', labels: web, expected: true },
    { selector: 'app!=web', labels: web, expected: false },
    { selector: 'missing!=x', labels: web, expected: true },
    { selector: 'app in (api,web)', labels: web, expected: true },
    { selector: 'app in (api)', labels: web, expected: false },
    { selector: 'missing in (x)', labels: web, expected: false },
    { selector: 'app notin (web)', labels: web, expected: false },
    { selector: 'app notin (api)', labels: web, expected: true },
    { selector: 'missing notin (x)', labels: web, expected: true },
    { selector: 'app', labels: web, expected: true },
    { selector: 'missing', labels: web, expected: false },
    { selector: '!missing', labels: web, expected: true },
    { selector: '!app', labels: web, expected: false },
    { selector: '! app', labels: {}, expected: true },
    { selector: 'app=web,tier=front', labels: web, expected: true },
    { selector: 'app=web,tier=back', labels: web, expected: false },
    { selector: '  app = web ,  tier in ( front , back ) ', labels: web, expected: true },
    { selector: 'app in(web)', labels: web, expected: true },
    { selector: 'app=web\t,\ntier', labels: web, expected: true },
    { selector: 'version>11,version<13', labels: web, expected: true },
    { selector: 'version>12', labels: web, expected: false },
    { selector: 'app>1', labels: web, expected: false },
    { selector: 'version>1', labels: undefined, expected: false },
    { selector: 'version>011', labels: web, expected: true },
    { selector: 'empty=', labels: { empty: '' }, expected: true },
    { selector: 'empty=', labels: {}, expected: false },
    { selector: 'empty in ()', labels: { empty: '' }, expected: true },
    { selector: 'empty in (x,,y)', labels: { empty: '' }, expected: true },
    { selector: 'empty in (x,)', labels: { empty: '' }, expected: true },
    { selector: 'in=notin', labels: { in: 'notin' }, expected: true },
    { selector: 'notin', labels: { notin: 'x' }, expected: true },
    { selector: 'app in (in,notin)', labels: { app: 'in' }, expected: true },
    { selector: 'example.com/team=a', labels: { 'example.com/team': 'a' }, expected: true },
    { selector: 'app=web', labels: undefined, expected: false },
    { selector: '!app', labels: undefined, expected: true },
    { selector: 'constructor', labels: {}, expected: false },
    { selector: '!toString', labels: {}, expected: true },
  ])('$selector on $labels → $expected', ({ selector, labels, expected }) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
});

describe('parseLabelSelector errors (texts from kubectl v1.32)', () => {
  it.each([
    { selector: 'a b', message: `unable to parse requirement: found 'b', expected: ${OPERATORS}` },
    { selector: 'a b/c', message: `unable to parse requirement: found 'b/c', expected: ${OPERATORS}` },
    { selector: 'a!b', message: `unable to parse requirement: found '!', expected: ${OPERATORS}` },
    { selector: 'a=b c', message: "found 'c', expected: ',' or 'end of string'" },
    { selector: 'a=b\tc', message: "found 'c', expected: ',' or 'end of string'" },
    { selector: 'a=b=c', message: "found '=', expected: ',' or 'end of string'" },
    { selector: 'a=b)', message: "found ')', expected: ',' or 'end of string'" },
    { selector: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
    { selector: 'x>1>2', message: "found '>', expected: ',' or 'end of string'" },
    { selector: 'a in (x,y))', message: "found ')', expected: ',' or 'end of string'" },
    { selector: 'a notin (x)(', message: "found '(', expected: ',' or 'end of string'" },
    { selector: 'a,', message: "found '', expected: identifier after ','" },
    { selector: 'a in (x),', message: "found '', expected: identifier after ','" },
    { selector: 'a=b,,c', message: "found ',', expected: identifier after ','" },
    { selector: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
    { selector: '(a)', message: "found '(', expected: !, identifier, or 'end of string'" },
    { selector: '=a', message: "found '=', expected: !, identifier, or 'end of string'" },
    { selector: 'a=b,!', message: "unable to parse requirement: found '', expected: identifier" },
    { selector: '!!a', message: "unable to parse requirement: found '!', expected: identifier" },
    { selector: 'a=(b)', message: "unable to parse requirement: found '(', expected: identifier" },
    { selector: 'a===b', message: "unable to parse requirement: found '=', expected: identifier" },
    { selector: 'a!==b', message: "unable to parse requirement: found '=', expected: identifier" },
    { selector: 'a=!b', message: "unable to parse requirement: found '!', expected: identifier" },
    { selector: 'a=>b', message: "unable to parse requirement: found '>', expected: identifier" },
    { selector: 'a notin x', message: "unable to parse requirement: found 'x' expected: '('" },
    { selector: 'a in x,y', message: "unable to parse requirement: found 'x' expected: '('" },
    { selector: 'a in (x', message: "unable to parse requirement: found '', expected: ',' or ')'" },
    { selector: 'a in (x y)', message: "unable to parse requirement: found 'y', expected: ',' or ')'" },
    { selector: '-x=y', message: `unable to parse requirement: <nil>: Invalid value: "-x": name part ${NAME_RULE}` },
    { selector: k64, message: `unable to parse requirement: <nil>: Invalid value: "${k64}": name part must be no more than 63 characters` },
    {
      selector: dash64,
      message: `unable to parse requirement: <nil>: Invalid value: "${dash64}": name part must be no more than 63 characters; name part ${NAME_RULE}`,
    },
    {
      selector: 'x/y/z',
      message: `unable to parse requirement: <nil>: Invalid value: "x/y/z": a qualified name ${NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    },
    { selector: '/a', message: 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty' },
    { selector: 'a/', message: `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part ${NAME_RULE}` },
    { selector: 'A/b', message: `unable to parse requirement: <nil>: Invalid value: "A/b": ${PREFIX_RULE}` },
    { selector: 'Example.com/b', message: `unable to parse requirement: <nil>: Invalid value: "Example.com/b": ${PREFIX_RULE}` },
    { selector: 'a=-b', message: `unable to parse requirement: values[0][a]: Invalid value: "-b": ${VALUE_RULE}` },
    { selector: 'a in (x,-y)', message: `unable to parse requirement: values[0][a]: Invalid value: "-y": ${VALUE_RULE}` },
    {
      selector: 'a in (-x,-y)',
      message: `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${VALUE_RULE}, values[1][a]: Invalid value: "-y": ${VALUE_RULE}]`,
    },
    { selector: `a=${'v'.repeat(64)}`, message: `unable to parse requirement: values[0][a]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters` },
    {
      selector: `a=${dash64}`,
      message: `unable to parse requirement: values[0][a]: Invalid value: "${dash64}": must be no more than 63 characters; ${VALUE_RULE}`,
    },
    { selector: 'a>z', message: `unable to parse requirement: values[0]: Invalid value: "z": for 'Gt', 'Lt' operators, the value must be an integer` },
    { selector: 'a>-1', message: `unable to parse requirement: values[0][a]: Invalid value: "-1": ${VALUE_RULE}` },
    {
      selector: 'a>-z',
      message: `unable to parse requirement: [values[0]: Invalid value: "-z": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: "-z": ${VALUE_RULE}]`,
    },
  ])('$selector', ({ selector, message }) => {
    expect(errorOf(() => parseLabelSelector(selector))).toBe(message);
  });
});

describe('parseLabelRequirements', () => {
  it.each([
    { selector: ' tier in (b,a,b) , app = web ,!canary', formatted: 'app=web,!canary,tier in (a,b)' },
    { selector: 'a==x,b!=y,c notin (z),d,e>1,f<2', formatted: 'a==x,b!=y,c notin (z),d,e>1,f<2' },
    { selector: 'x in (,)', formatted: 'x in ()' },
    { selector: '', formatted: '' },
  ])('$selector renders as $formatted', ({ selector, formatted }) => {
    expect(parseLabelRequirements(selector).map(formatRequirement).join(',')).toBe(formatted);
  });

  it('keeps the structure of each requirement', () => {
    expect(parseLabelRequirements('tier in (b,a),!canary')).toEqual([
      { key: 'canary', operator: '!', values: [] },
      { key: 'tier', operator: 'in', values: ['a', 'b'] },
    ]);
  });
});

describe('parseFieldSelector', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { nodeName: 'node-a', priority: 0, hostNetwork: false },
    status: { phase: 'Running', conditions: [] },
  };
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17', namespace: 'shop' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u-1' },
    type: 'Warning',
    reason: 'BackOff',
  };
  it.each([
    { object: pod, selector: '', expected: true },
    { object: pod, selector: 'metadata.name=web-1', expected: true },
    { object: pod, selector: 'metadata.name==web-1', expected: true },
    { object: pod, selector: 'metadata.name=web-2', expected: false },
    { object: pod, selector: 'metadata.name!=web-2', expected: true },
    { object: pod, selector: 'metadata.namespace=shop,status.phase=Running', expected: true },
    { object: pod, selector: 'metadata.namespace=shop,status.phase!=Running', expected: false },
    { object: pod, selector: 'spec.nodeName=node-a', expected: true },
    { object: pod, selector: 'spec.hostNetwork=false', expected: true },
    { object: pod, selector: 'spec.priority=0', expected: true },
    { object: pod, selector: 'status.podIP=', expected: true },
    { object: pod, selector: 'status.podIP!=', expected: false },
    { object: pod, selector: 'metadata.missing.deeper=', expected: true },
    { object: pod, selector: 'status.conditions=', expected: true },
    { object: pod, selector: ',metadata.name=web-1,', expected: true },
    { object: pod, selector: 'metadata.name =web-1', expected: false },
    { object: event, selector: 'involvedObject.name=web-1,involvedObject.namespace=shop,involvedObject.uid=u-1', expected: true },
    { object: event, selector: 'involvedObject.kind=Deployment', expected: false },
    { object: event, selector: 'type=Warning,reason=BackOff', expected: true },
    { object: { metadata: { name: 'a,b=c\\d' } }, selector: 'metadata.name=a\\,b\\=c\\\\d', expected: true },
  ])('$selector → $expected', ({ object, selector, expected }) => {
    expect(parseFieldSelector(selector)(object)).toBe(expected);
  });

  it('exposes the parsed terms, unescaped', () => {
    expect(parseFieldRequirements('metadata.name!=a\\,b,status.phase==Running')).toEqual([
      { field: 'metadata.name', operator: '!=', value: 'a,b' },
      { field: 'status.phase', operator: '==', value: 'Running' },
    ]);
    expect(parseFieldRequirements('=b')).toEqual([{ field: '', operator: '=', value: 'b' }]);
  });

  it.each([
    { selector: 'a', message: "invalid selector: 'a'; can't understand 'a'" },
    { selector: 'a in (x)', message: "invalid selector: 'a in (x)'; can't understand 'a in (x)'" },
    { selector: 'a<b', message: "invalid selector: 'a<b'; can't understand 'a<b'" },
    { selector: 'x=1,!a', message: "invalid selector: 'x=1,!a'; can't understand '!a'" },
    { selector: 'a=b=c', message: 'invalid field selector: unescaped character in value: 61' },
    { selector: 'a\\=b=c', message: 'invalid field selector: unescaped character in value: 61' },
    { selector: 'a!=b!=c', message: 'invalid field selector: unescaped character in value: 61' },
    { selector: 'a=b\\', message: 'invalid field selector: invalid escape sequence: \\' },
    { selector: 'a=\\q', message: 'invalid field selector: invalid escape sequence: \\q' },
  ])('rejects $selector like kubectl v1.32', ({ selector, message }) => {
    expect(errorOf(() => parseFieldSelector(selector))).toBe(message);
  });
});

describe('matcherFromLabelSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    { name: 'undefined selects nothing', selector: undefined, labels, expected: false },
    { name: 'null selects nothing', selector: null, labels, expected: false },
    { name: 'an empty selector selects everything', selector: {}, labels, expected: true },
    { name: 'empty matchLabels selects everything', selector: { matchLabels: {} }, labels: undefined, expected: true },
    { name: 'matchLabels', selector: { matchLabels: { app: 'web' } }, labels, expected: true },
    { name: 'matchLabels mismatch', selector: { matchLabels: { app: 'web', tier: 'back' } }, labels, expected: false },
    { name: 'In', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels, expected: true },
    { name: 'NotIn', selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels, expected: false },
    { name: 'Exists', selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels, expected: true },
    { name: 'DoesNotExist', selector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist', values: [] }] }, labels, expected: true },
    {
      name: 'matchLabels and matchExpressions together',
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      labels,
      expected: false,
    },
    { name: 'a Service map selector', selector: { app: 'web' }, labels, expected: true },
    { name: 'a Service map selector mismatch', selector: { app: 'web', tier: 'back' }, labels, expected: false },
    { name: 'a Service map selector on unlabelled pods', selector: { app: 'web' }, labels: undefined, expected: false },
  ])('$name', ({ selector, labels: podLabels, expected }) => {
    expect(matcherFromLabelSelector(selector)(podLabels)).toBe(expected);
  });

  it.each([
    { name: 'an unknown operator', selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, message: '"Gt" is not a valid label selector operator' },
    { name: 'In without values', selector: { matchExpressions: [{ key: 'a', operator: 'In' }] }, message: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty" },
    {
      name: 'Exists with values',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      message: 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    },
    { name: 'a bad key', selector: { matchLabels: { 'bad key': 'x' } }, message: `key: Invalid value: "bad key": name part ${NAME_RULE}` },
    { name: 'a bad value', selector: { matchLabels: { app: 'a b' } }, message: `values[0][app]: Invalid value: "a b": ${VALUE_RULE}` },
    { name: 'a non-object selector', selector: 'app=web', message: 'invalid label selector: "app=web"' },
  ])('rejects $name', ({ selector, message }) => {
    expect(errorOf(() => matcherFromLabelSelector(selector))).toBe(message);
  });
});

describe('matcherFromServiceSelector', () => {
  it.each([
    { selector: undefined, labels: { app: 'web' }, expected: false },
    { selector: {}, labels: { app: 'web' }, expected: false },
    { selector: { app: 'web' }, labels: { app: 'web', extra: 'x' }, expected: true },
    { selector: { app: 'web' }, labels: { app: 'api' }, expected: false },
  ])('$selector on $labels → $expected', ({ selector, labels, expected }) => {
    expect(matcherFromServiceSelector(selector)(labels)).toBe(expected);
  });
});

describe('formatLabelSelector', () => {
  it.each([
    { selector: undefined, formatted: '' },
    { selector: {}, formatted: '' },
    { selector: { matchLabels: { app: 'web' } }, formatted: 'app=web' },
    {
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      formatted: 'app=web,tier in (a,b)',
    },
    {
      selector: {
        matchLabels: { zone: 'z1' },
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      },
      formatted: 'app,!canary,env notin (dev),zone=z1',
    },
    { selector: { tier: 'front', app: 'web' }, formatted: 'app=web,tier=front' },
    // The Selector line `kubectl describe deployments` (v1.32) printed for this spec.selector.
    {
      selector: {
        matchLabels: { zone: 'z1', app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a', 'c'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'app', operator: 'Exists' },
        ],
      },
      formatted: 'app=web,app,!canary,env notin (dev),tier in (a,b,c),zone=z1',
    },
  ])('$formatted', ({ selector, formatted }) => {
    expect(formatLabelSelector(selector)).toBe(formatted);
  });

  it('renders a selector that parses back to the same requirements', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['x', 'y'] }] };
    const text = formatLabelSelector(selector);
    const parsed = parseLabelSelector(text);
    const structured = matcherFromLabelSelector(selector);
    for (const labels of [{ app: 'web' }, { app: 'web', tier: 'x' }, { app: 'api' }, {}]) {
      expect(parsed(labels)).toBe(structured(labels));
    }
  });
});
