/** EXPOSE arguments with variables resolved, shared by the EXPOSE rules. */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../server/src/documents/dockerfile';
import type { Range } from '../../server/src/text/lineIndex';
import { runAfter, runBefore } from '../text';
import { substituteVariables, argumentList } from './shared';

export interface ExposedPort {
  instr: Instruction;
  written: string;
  /** After variable substitution; undefined when a variable has no known value. */
  resolved: string | undefined;
  range: Range;
}

export function resolveAt(model: DockerfileModel, text: string, line: number): string | undefined {
  let unknown = false;
  const out = substituteVariables(text, '-', (name, op, def) => {
    const value = model.ast.resolveVariable(name, line);
    if (value !== undefined && value !== null && value !== '') return value;
    if (op) return def;
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

export function exposedPorts(model: DockerfileModel, instr: Instruction): ExposedPort[] {
  const line = instr.getRange().start.line;
  return argumentList(instr).map((a) => {
    const written = a.getValue();
    return { instr, written, resolved: written.includes('$') ? resolveAt(model, written, line) : written, range: a.getRange() };
  });
}

export interface ParsedPort {
  start: number;
  end: number;
  protocol: string;
}

export function parsePort(value: string): ParsedPort | string {
  if (/^[\d.]+:|:/.test(value)) return 'EXPOSE takes container ports only; host IPs and host ports are set when the container is run';
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(value);
  if (!m) return 'not a port number or range';
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  const protocol = (m[3] ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) return `unknown protocol "${m[3]}" (use tcp, udp or sctp)`;
  if (start > 65535 || end > 65535) return 'ports are 0-65535';
  if (end < start) return 'the range ends before it starts';
  return { start, end, protocol };
}

/**
 * The edit removing port `index` of an EXPOSE instruction: the argument and the blank beside it,
 * or the whole instruction (its lines) when every argument goes.
 */
export function exposeRemovalEdit(
  model: DockerfileModel,
  instr: Instruction,
  ports: readonly ExposedPort[],
  index: number,
  removedAll: boolean,
  spanOf: (r: Range) => { start: number; end: number },
): { start: number; end: number; newText: string } {
  if (removedAll) {
    const range = instr.getRange();
    const start = model.lines.lineStart(range.start.line);
    const end = range.end.line + 1 < model.lines.lineCount ? model.lines.lineStart(range.end.line + 1) : model.text.length;
    return { start, end, newText: '' };
  }
  const span = spanOf(ports[index].range);
  const before = runBefore(model.text, span.start, ' \t');
  const after = runAfter(model.text, span.end, ' \t');
  return index === 0 ? { start: span.start, end: span.end + after, newText: '' } : { start: span.start - before, end: span.end, newText: '' };
}
