/**
 * Slack's data visualization block (docs.slack.dev/reference/block-kit/blocks/data-visualization-block), typed here
 * because @slack/types 3.2 does not have it yet: a title of at most 50 characters and a bar chart of 1–6 series, each
 * of 1–20 points whose labels (at most 20 characters) are the x-axis categories. Each chart has a text twin, a compact
 * table, for the fallback text, screen readers and workspaces where Slack refuses the block (`invalid_blocks`).
 */
import { type Block, truncate } from '../../slack/blocks.js';

export interface DataPoint {
  label: string;
  value: number;
}

export interface DataVisualizationBlock {
  type: 'data_visualization';
  title: string;
  block_id?: string;
  chart: {
    type: 'bar';
    series: { name: string; data: DataPoint[] }[];
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

/** A block Slack's Home tab takes: the known Block Kit blocks and the data visualization block. */
export type HomeBlock = Block | DataVisualizationBlock;

const TITLE_MAX = 50;
const LABEL_MAX = 20;
const POINTS_MAX = 20;

/** One series as bars, at most 20 of them. */
export function barChart(
  o: { blockId: string; title: string; series: string; yLabel: string },
  points: DataPoint[],
): DataVisualizationBlock {
  const data = points.slice(0, POINTS_MAX).map((p) => ({ label: truncate(p.label, LABEL_MAX), value: p.value }));
  return {
    type: 'data_visualization',
    block_id: o.blockId,
    title: truncate(o.title, TITLE_MAX),
    chart: {
      type: 'bar',
      series: [{ name: truncate(o.series, LABEL_MAX), data }],
      axis_config: { categories: data.map((p) => p.label), y_label: truncate(o.yLabel, TITLE_MAX) },
    },
  };
}

/** The same figures as a monospace table: labels on one line, values right-aligned under them. */
export function chartTable(points: DataPoint[]): string {
  const cells = points.map((p) => ({ label: p.label, value: p.value.toLocaleString('en-US') }));
  const width = Math.max(...cells.map((c) => Math.max(c.label.length, c.value.length)));
  const row = (texts: string[]) => texts.map((t) => t.padStart(width)).join(' ');
  return `\`\`\`\n${row(cells.map((c) => c.label))}\n${row(cells.map((c) => c.value))}\n\`\`\``;
}
