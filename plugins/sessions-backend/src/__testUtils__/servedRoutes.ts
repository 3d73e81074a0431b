import { createRouter } from '../router/createRouter';

/** `METHOD /path` of every route the plugin's router serves. */
export function servedRoutes(): string[] {
  const walk = (router: any): string[] =>
    router.stack.flatMap((layer: any) => {
      if (layer.route) {
        return Object.keys(layer.route.methods).map(
          method => `${method.toUpperCase()} ${layer.route.path}`,
        );
      }
      return layer.handle?.stack ? walk(layer.handle) : [];
    });
  return walk(createRouter({ settings: {} } as any));
}
