import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GatewayConfig } from '../config';

export const OPS_CONSOLE_PATH = '/ops';

/**
 * The console is the gateway's own static files: its scripts, styles and calls come from the
 * gateway and nowhere else, and nothing inline runs (the build inlines nothing), so a script
 * injected into a page the console shows cannot run.
 */
const opsConsoleContentSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/** The build names the files in assets/ by a hash of their content, so they never change; the page and the icon are checked every time. */
function cacheHeaders(response: Response, path: string): void {
  response.setHeader('Cache-Control', basename(dirname(path)) === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves the operations console (`nx build ops-console`, in OPS_CONSOLE_DIR) under /ops with its
 * own content security policy; the data it shows comes from the admin API, which checks the
 * caller's token as for any client. Without a build, /ops says how to make one. Install after
 * the edge's own middleware, whose policy this one replaces for /ops.
 */
export function serveOpsConsole(app: NestExpressApplication, config: Pick<GatewayConfig, 'OPS_CONSOLE_DIR'>): void {
  app.use(OPS_CONSOLE_PATH, opsConsoleContentSecurityPolicy);
  app.useStaticAssets(config.OPS_CONSOLE_DIR, { prefix: OPS_CONSOLE_PATH, index: 'index.html', setHeaders: cacheHeaders });
  app.use(OPS_CONSOLE_PATH, (request: Request, response: Response) => {
    // Checked on each request, so a console built while the gateway runs is served at once.
    const built = existsSync(join(config.OPS_CONSOLE_DIR, 'index.html'));
    response
      .status(built ? HttpStatus.NOT_FOUND : HttpStatus.SERVICE_UNAVAILABLE)
      .type('text/plain')
      .send(
        built
          ? `The operations console has no file ${request.path}.`
          : `The operations console is not built: run \`npx nx build ops-console\` in the workspace, then reload. The gateway looks for it in ${config.OPS_CONSOLE_DIR} (OPS_CONSOLE_DIR).`,
      );
  });
}
