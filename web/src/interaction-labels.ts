import type { InteractionKind } from '../../shared/interactions/interaction-flows.js';

/** Names people read for the kinds of consult, complaint and suggestion (GB/T 39047 6.1.8). */
export const INTERACTION_KIND_LABELS: Record<InteractionKind, string> = { consult: '咨询', complaint: '投诉', suggestion: '建议' };
