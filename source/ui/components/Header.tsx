import { Text } from 'ink';
import type { MeshSummary } from '../../mesh/types.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell } from '../table/fit.js';

export function Header({ summary, width, onlyCluster, readonly = false }: { summary: MeshSummary; width: number; onlyCluster?: string | undefined; readonly?: boolean }) {
  const theme = useTheme();
  const clustersOk = summary.clustersUp === summary.clustersTotal;
  const gatewaysOk = summary.gatewaysReady === summary.gatewaysTotal;
  const parts = [
    `clusters ${summary.clustersUp}/${summary.clustersTotal} up`,
    `gateways ${summary.gatewaysReady}/${summary.gatewaysTotal} ready`,
    `${summary.workloadsWithoutSidecar} workloads missing sidecars`,
    summary.errors !== undefined ? `findings ${summary.errors} errors ${summary.warnings ?? 0} warnings` : undefined,
    summary.distinctRoots > 1 ? `${summary.distinctRoots} different roots of trust` : undefined,
  ].filter(Boolean);
  // The cluster scope goes first: at 80 columns the end of the line is cut.
  if (onlyCluster) parts.unshift(`ctx ${onlyCluster}`);
  if (readonly) parts.unshift('read-only');
  const tone = !clustersOk || summary.distinctRoots > 1 || (summary.errors ?? 0) > 0 ? 'status.error' : !gatewaysOk || summary.workloadsWithoutSidecar > 0 ? 'status.warn' : 'status.ok';
  return (
    <Text wrap="truncate">
      <Text bold color={colorOf(theme, 'accent')}>meshdeck </Text>
      <Text color={colorOf(theme, tone)}>{fitCell(parts.join(' · '), Math.max(0, width - 9))}</Text>
    </Text>
  );
}
