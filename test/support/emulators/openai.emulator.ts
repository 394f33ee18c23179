import { HttpEmulator, type RecordedRequest, type Reply } from './http-emulator.js';

/**
 * An OpenAI-compatible chat-completions server: Bearer auth, `choices[0].message.content`,
 * `usage` token counts. By default it answers each kind of request (recognised from the system
 * prompt) with valid JSON; `script` queues exact contents for the next completions (e.g. one
 * that is not JSON), and `fail` from the base class gives 429s and 500s.
 */
export class OpenAiEmulator extends HttpEmulator {
  readonly script: string[] = [];

  constructor(readonly apiKey = 'sk-test-key') {
    super();
  }

  protected route(request: RecordedRequest): Reply {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
    }
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') return { status: 404, body: { error: { message: 'Not found' } } };
    const messages: { role: string; content: string }[] = request.body.messages;
    const system = messages[0]?.content ?? '';
    const content = this.script.shift() ?? this.answer(system, messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n'));
    const promptTokens = Math.ceil(JSON.stringify(messages).length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    return {
      body: {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      },
    };
  }

  private answer(system: string, last: string): string {
    if (system.includes('customer reviews')) {
      const negative = /broke|late|refund|terrible/i.test(last);
      return JSON.stringify({ score: negative ? -0.8 : 0.7, label: negative ? 'negative' : 'positive', aspects: [{ aspect: 'shipping', score: negative ? -0.9 : 0.6, label: negative ? 'negative' : 'positive' }] });
    }
    if (system.includes('product descriptions')) return JSON.stringify({ score: 64, missing_attributes: ['size', 'material'], keywords: ['mug'], suggestions: ['Mention the size.'] });
    if (system.includes('marketplace listings')) return JSON.stringify({ title: 'Remote title', description: 'Remote description.', bullet_points: ['One'], tags: ['remote'] });
    return 'You have plenty of stock.';
  }
}
