/**
 * The longest value of each contact field, in characters. The one table the API schema,
 * the field rules and the web app's inputs read; it imports nothing, so the web app can
 * use it without server code.
 */
export const LIMITS = {
  name: 200,
  email: 254,
  externalId: 255,
  phone: 64,
  tag: 64,
} as const;
