/** What users of the demo agent type: small talk, product questions, weather and arithmetic. */
export const USER_MESSAGES = [
  'hi',
  'Hello, what can you do?',
  "What's the weather in Lisbon today?",
  'Do I need an umbrella in Berlin?',
  'Is it cold in Montreal right now?',
  'How do I install the SDK?',
  'How do I configure alert rules?',
  'Where do I find the docs on rate limits?',
  'Why does my prompt token count keep growing?',
  'What is 1200 * 0.15?',
  'Can you work out (365 - 104) * 8?',
  'What is 2 ^ 16?',
  'Thanks, that helps.',
  'Summarise what we talked about so far.',
  'How do health probes work during shutdown?',
] as const;
