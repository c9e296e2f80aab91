// Response bodies in the shape DashScope's OpenAI-compatible mode uses, so clients are tested against the real thing.

export interface ErrorBody {
  error: { message: string; type: string; param: null; code: string };
  request_id: string;
}

export function errorBody(code: string, message: string, requestId: string): ErrorBody {
  return { error: { message, type: code, param: null, code }, request_id: requestId };
}

export const RATE_LIMITED = (requestId: string): ErrorBody =>
  errorBody('limit_requests', 'Requests rate limit exceeded, please try again later.', requestId);
export const INVALID_KEY = (requestId: string): ErrorBody =>
  errorBody('invalid_api_key', 'Incorrect API key provided.', requestId);
export const SERVER_ERROR = (requestId: string): ErrorBody =>
  errorBody('internal_error', 'An internal error has occured, please try again later.', requestId);

export function chatCompletion(requestId: string, model: string, content: string, promptTokens: number, createdMs: number): Record<string, unknown> {
  const completionTokens = Math.ceil(content.length / 2);
  return {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion',
    created: Math.floor(createdMs / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    system_fingerprint: null,
  };
}
