#!/usr/bin/env node
// Validates Adaptive Cards with the official parser (npm package "adaptivecards"), as Teams would read them.
//
// stdin: one JSON document, either an AdaptiveCard or a Teams message
//        {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{...}}]}
//        (every Adaptive Card attachment is checked).
// env:   NODE_PATH must reach the folder holding node_modules/adaptivecards;
//        MAX_CARD_VERSION (default 1.4): the highest card version accepted (what Teams renders everywhere).
// exit:  0 and "ok: N card(s)" when every card parses with no error or warning and passes validateProperties();
//        1 with one line per problem otherwise; 2 when the input is not JSON or holds no card.
//
// The library's dist build loads in Node without a DOM: parsing touches no browser API (only rendering does).
'use strict';

const AC = require('adaptivecards/dist/adaptivecards.js');

const MAX_VERSION = process.env.MAX_CARD_VERSION || '1.4';
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

function cardsOf(document) {
  if (document && document.type === 'message') {
    if (!Array.isArray(document.attachments) || document.attachments.length === 0) {
      return { problems: ['message: "attachments" must be a non-empty array'], cards: [] };
    }
    const problems = [];
    const cards = [];
    document.attachments.forEach((attachment, i) => {
      if (!attachment || attachment.contentType !== CARD_CONTENT_TYPE) {
        problems.push(`attachments[${i}]: contentType must be "${CARD_CONTENT_TYPE}"`);
      } else if (!attachment.content || typeof attachment.content !== 'object') {
        problems.push(`attachments[${i}]: "content" must be the card object`);
      } else {
        cards.push({ where: `attachments[${i}].content`, card: attachment.content });
      }
    });
    return { problems, cards };
  }
  return { problems: [], cards: [{ where: 'card', card: document }] };
}

function problemsOf(where, json) {
  const problems = [];
  if (json.type !== 'AdaptiveCard') {
    problems.push(`${where}: "type" must be "AdaptiveCard"`);
  }
  const version = AC.Version.parse(json.version, new AC.SerializationContext());
  const max = AC.Version.parse(MAX_VERSION, new AC.SerializationContext());
  if (!version || !version.isValid) {
    problems.push(`${where}: "version" must be a card version such as "1.4"`);
  } else if (version.compareTo(max) > 0) {
    problems.push(`${where}: version ${json.version} is above ${MAX_VERSION}, the highest Teams renders everywhere`);
  }
  // Parse for the highest allowed version: features of later versions are reported too.
  const context = new AC.SerializationContext(max);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`${where}: ${AC.ValidationEvent[event.event] || event.event}: ${event.message}`);
  }
  const validation = card.validateProperties();
  for (const event of validation.validationEvents) {
    problems.push(`${where}: ${AC.ValidationEvent[event.event] || event.event}: ${event.message}`);
  }
  return problems;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  let document;
  try {
    document = JSON.parse(input);
  } catch (e) {
    console.log(`not JSON: ${e.message}`);
    process.exit(2);
  }
  const { problems, cards } = cardsOf(document);
  cards.forEach(({ where, card }) => problems.push(...problemsOf(where, card)));
  if (cards.length === 0 && problems.length === 0) {
    console.log('no Adaptive Card in the input');
    process.exit(2);
  }
  if (problems.length > 0) {
    problems.forEach((p) => console.log(p));
    process.exit(1);
  }
  console.log(`ok: ${cards.length} card(s), adaptivecards ${require('adaptivecards/package.json').version}`);
});
