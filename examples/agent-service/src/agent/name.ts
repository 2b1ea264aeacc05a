/** The `agent` label of the demo's agent metrics: one bounded value, never a session or user id. */
export const AGENT_NAME = 'demo-assistant';
