import { Box, Text } from 'ink';
import type { ParsedLine } from '../../mesh/access-log/types.js';
import type { BufferedLine } from '../../kube/logs/log-buffer.js';
import type { LogsUi } from './logs-state.js';
import { describeNarrow } from './logs-state.js';
import { logColumnWidths, logHeaderText, logRowText, logRowTone } from './log-row.js';
import { describeLogEntry } from './log-detail.js';
import { colorOf, useTheme } from '../theme/ThemeContext.js';
import { fitCell, visibleWindow } from '../table/fit.js';
import { useRef } from 'react';

export interface LogViewProps {
  ui: LogsUi;
  /** The line whose details are open, if any. */
  detail: BufferedLine<ParsedLine> | undefined;
  rows: BufferedLine<ParsedLine>[];
  held: number;
  summary: string;
  streams: string;
  width: number;
  height: number;
}

/** The log table (or one line's details), only the visible lines rendered. */
export function LogView({ ui, detail, rows, held, summary, streams, width, height }: LogViewProps) {
  const theme = useTheme();
  const start = useRef(0);
  const title = [`Logs: ${ui.title}`, `${rows.length} lines`, ui.paused ? `PAUSED (${held} new)` : ui.follow ? 'following' : held > 0 ? `not following (${held} new)` : 'not following', ui.wrap ? 'wrap' : undefined, ui.filter ? `/${ui.filter}` : undefined, describeNarrow(ui.narrow) || undefined]
    .filter(Boolean)
    .join(' · ');
  if (detail) {
    const lines = describeLogEntry(detail);
    const body = lines.slice(ui.detailScroll, ui.detailScroll + height - 1);
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold color={colorOf(theme, 'text.heading')}>{fitCell(`Line details (Esc back)`, width)}</Text>
        {body.map((line, i) => (
          <Text key={i}>{fitCell(line, width)}</Text>
        ))}
      </Box>
    );
  }
  const widths = logColumnWidths(width);
  const bodyHeight = Math.max(1, height - 4);
  const selectedIndex = ui.follow || ui.selectedSeq === undefined ? rows.length - 1 : Math.max(0, rows.findIndex((r) => r.seq === ui.selectedSeq));
  const window = visibleWindow(rows.length, bodyHeight, Math.max(0, selectedIndex), ui.follow ? Math.max(0, rows.length - bodyHeight) : start.current);
  start.current = window.start;
  const visible: { key: string; text: string; entry: BufferedLine<ParsedLine>; selected: boolean }[] = [];
  for (let i = window.start; i < window.end; i++) {
    const entry = rows[i]!;
    const text = logRowText(entry, widths);
    if (ui.wrap && text.length > width) {
      for (let offset = 0, part = 0; offset < text.length; offset += width, part++) visible.push({ key: `${entry.seq}:${part}`, text: text.slice(offset, offset + width), entry, selected: i === selectedIndex });
    } else {
      visible.push({ key: String(entry.seq), text, entry, selected: i === selectedIndex });
    }
  }
  // Wrapped lines can overflow the window; keep the selected end of it on screen.
  const shown = visible.length > bodyHeight ? visible.slice(ui.follow ? visible.length - bodyHeight : 0, ui.follow ? undefined : bodyHeight) : visible;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={colorOf(theme, 'border.focus')}>{fitCell(title, width)}</Text>
      <Text color={colorOf(theme, 'text.muted')}>{fitCell(`${summary}   ${streams}`, width)}</Text>
      <Text bold color={colorOf(theme, 'text.heading')}>{fitCell(logHeaderText(widths), width)}</Text>
      {rows.length === 0 ? <Text color={colorOf(theme, 'text.muted')}>{fitCell('waiting for log lines…', width)}</Text> : null}
      {shown.map((row) => (
        <Text key={row.key} inverse={row.selected && !ui.follow} color={row.selected && !ui.follow ? undefined : colorOf(theme, logRowTone(row.entry.parsed))}>
          {fitCell(row.text, width)}
        </Text>
      ))}
    </Box>
  );
}
