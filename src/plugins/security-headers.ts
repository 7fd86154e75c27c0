/**
 * Security headers on every answer (ASVS V14.4, V8.1.1) by @fastify/helmet: a Content-Security-Policy
 * that the platform's own pages pass (scripts and styles from this origin only; inline styles,
 * which Ant Design writes at run time, allowed), no framing by any site, no MIME sniffing, no
 * referrer, and HSTS when PUBLIC_URL is https. Routes that serve a page of their own (the portal, the
 * verify page, downloads) set a stricter policy themselves. API answers may hold personal data, so
 * no cache keeps them.
 */
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** Answers under these paths may carry personal data. */
const PRIVATE_PREFIXES = ['/api/', '/verify/', '/r/'];

export default fp(
  async (app, { publicUrl }: { publicUrl: string }) => {
    const url = new URL(publicUrl);
    const https = url.protocol === 'https:';
    const socketOrigin = `${https ? 'wss' : 'ws'}://${url.host}`;
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          // Some browsers do not count ws: of the same host as 'self'.
          connectSrc: ["'self'", socketOrigin],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // The pages load nothing from other origins, but Swagger UI's try-it-out needs no isolation either.
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onSend', async (request, reply) => {
      if (!reply.hasHeader('cache-control') && PRIVATE_PREFIXES.some((p) => request.url.startsWith(p)))
        reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security-headers' },
);
