/**
 * The ceiling for a cached answer: plain Fastify (no hooks, no plugins, no
 * logger) with one GET route that sends fixed bytes, run as a process of its
 * own by `startBareServer`. PORT, BARE_PATH, BARE_BODY and BARE_CONTENT_TYPE say
 * where and what.
 */
import Fastify from 'fastify';

const { PORT, BARE_PATH, BARE_BODY, BARE_CONTENT_TYPE } = process.env;
if (!PORT || !BARE_PATH || BARE_BODY === undefined || !BARE_CONTENT_TYPE) {
  throw new Error('bareFastify needs PORT, BARE_PATH, BARE_BODY and BARE_CONTENT_TYPE');
}

const server = Fastify();
server.get(BARE_PATH, (_request, reply) => {
  reply.type(BARE_CONTENT_TYPE).send(BARE_BODY);
});
await server.listen({ port: Number(PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
