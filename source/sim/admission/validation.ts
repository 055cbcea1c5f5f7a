import type { JsonObject, KubeObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';
import type { StatusCause } from '../api/status.js';
import { matcherFromLabelSelector } from '../selectors.js';
import type { AdmissionContext } from './context.js';
import { dnsLabelProblem, dnsSubdomainProblem } from './names.js';
import { NODE_PORT_RANGE, nodePortsInUse } from './node-ports.js';

const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});

// Kinds whose names must be DNS labels rather than subdomains.
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/** The API server's validation for the fields meshdeck and its users rely on; [] when valid. */
export function validate(def: ResourceDef, object: KubeObject, ctx: AdmissionContext): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = object.metadata.name;
  if (!name) causes.push(required('metadata.name'));
  else {
    const problem = def.group === '' && LABEL_NAMED.has(def.kind) ? dnsLabelProblem(name) : dnsSubdomainProblem(name);
    if (problem && def.builtIn) causes.push(invalidValue('metadata.name', name, problem));
  }
  const spec = object['spec'] as JsonObject | undefined;
  if (def.group === '' && def.kind === 'Pod') causes.push(...validatePodSpec(spec, 'spec'));
  if (def.group === '' && def.kind === 'Service') causes.push(...validateService(object, spec, ctx));
  if (def.group === 'apps' && (def.kind === 'Deployment' || def.kind === 'ReplicaSet')) causes.push(...validateWorkload(spec));
  if (def.group === '' && def.kind === 'Secret') causes.push(...validateSecretData(object));
  return causes;
}

function validatePodSpec(spec: JsonObject | undefined, path: string): StatusCause[] {
  const containers = spec?.['containers'];
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${path}.containers`)];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((raw, index) => {
    const container = raw as JsonObject;
    const at = `${path}.containers[${index}]`;
    if (!container['name']) causes.push(required(`${at}.name`));
    else if (seen.has(String(container['name']))) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: "${container['name']}"`, field: `${at}.name` });
    seen.add(String(container['name']));
    if (!container['image']) causes.push(required(`${at}.image`));
  });
  return causes;
}

function validateWorkload(spec: JsonObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const selector = spec?.['selector'] as JsonObject | undefined;
  const template = spec?.['template'] as JsonObject | undefined;
  if (!selector) causes.push(required('spec.selector'));
  const labels = ((template?.['metadata'] as JsonObject | undefined)?.['labels'] as Record<string, string> | undefined) ?? {};
  if (selector && !matcherFromLabelSelector(selector as never)(labels)) {
    causes.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  if (typeof spec?.['replicas'] === 'number' && spec['replicas'] < 0) causes.push(invalidValue('spec.replicas', spec['replicas'], 'must be greater than or equal to 0'));
  causes.push(...validatePodSpec(template?.['spec'] as JsonObject | undefined, 'spec.template.spec'));
  return causes;
}

function validateService(service: KubeObject, spec: JsonObject | undefined, ctx: AdmissionContext): StatusCause[] {
  const type = String(spec?.['type'] ?? 'ClusterIP');
  const ports = (spec?.['ports'] as JsonObject[] | undefined) ?? [];
  if (type === 'ExternalName') return spec?.['externalName'] ? [] : [required('spec.externalName')];
  const headless = spec?.['clusterIP'] === 'None';
  if (ports.length === 0 && !headless) return [required('spec.ports')];
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  const numbers = new Set<string>();
  const used = nodePortsInUse(ctx, service);
  ports.forEach((port, index) => {
    const at = `spec.ports[${index}]`;
    const number = port['port'];
    if (typeof number !== 'number' || number < 1 || number > 65535) causes.push(invalidValue(`${at}.port`, number, 'must be between 1 and 65535, inclusive'));
    if (ports.length > 1 && !port['name']) causes.push(required(`${at}.name`));
    const portName = port['name'] as string | undefined;
    if (portName) {
      if (names.has(portName)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: "${portName}"`, field: `${at}.name` });
      names.add(portName);
    }
    const key = `${number}/${port['protocol'] ?? 'TCP'}`;
    if (numbers.has(key)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify({ port: number, protocol: port['protocol'] ?? 'TCP' })}`, field: at });
    numbers.add(key);
    const nodePort = port['nodePort'];
    if (typeof nodePort === 'number') {
      if (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max) {
        causes.push(invalidValue(`${at}.nodePort`, nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
      } else if (used.has(nodePort)) {
        causes.push(invalidValue(`${at}.nodePort`, nodePort, 'provided port is already allocated'));
      }
    }
  });
  return causes;
}

function validateSecretData(secret: KubeObject): StatusCause[] {
  const data = (secret['data'] as Record<string, unknown> | undefined) ?? {};
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      causes.push(invalidValue(`data[${key}]`, '<redacted>', 'must be base64-encoded'));
    }
  }
  return causes;
}
