#!/usr/bin/env node
// Verifies a signed webhook post with the Standard Webhooks reference library for JavaScript (npm "standardwebhooks"),
// exactly as a receiver would: the raw body, the webhook-id / webhook-timestamp / webhook-signature headers, one secret.
//
// stdin: {"secret": "whsec_... or a plain secret", "bodyBase64": "<the raw body, base64>", "headers": {"webhook-id": ...}}
//        A whsec_ secret goes to the library as a string (it base64-decodes it); any other secret is given as its UTF-8
//        bytes with {format: "raw"}, which is how Freshen documents receiving a plain secret.
// exit:  0 and "ok" when the library accepts the post; 1 and the library's message when it rejects it
//        (e.g. "No matching signature found", "Message timestamp too old"); 2 on bad input.
'use strict';

const { Webhook, WebhookVerificationError } = require('standardwebhooks');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  let request;
  try {
    request = JSON.parse(input);
  } catch (e) {
    console.log(`not JSON: ${e.message}`);
    process.exit(2);
  }
  const webhook = request.secret.startsWith('whsec_')
    ? new Webhook(request.secret)
    : new Webhook(Buffer.from(request.secret, 'utf8'), { format: 'raw' });
  const body = Buffer.from(request.bodyBase64, 'base64');
  try {
    webhook.verify(body, request.headers);
  } catch (e) {
    if (e instanceof WebhookVerificationError) {
      console.log(e.message);
      process.exit(1);
    }
    throw e;
  }
  console.log(`ok: standardwebhooks ${require('standardwebhooks/package.json').version}`);
});
