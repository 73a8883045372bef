// @ts-check

/**
 * Built with webpack (`next build --webpack`): our workspace packages are ESM TypeScript source whose
 * relative imports end in `.js`, and Turbopack in Next 16.4 cannot map `./x.js` to `./x.ts`
 * (vercel/next.js#82945); webpack's `resolve.extensionAlias` does.
 *
 * @type {import("next").NextConfig}
 */
const nextConfig = {
  // Workspace packages ship TypeScript source (`exports` points at src/index.ts); Next compiles them.
  transpilePackages: ["@vizflow/sdk", "@vizflow/db", "@vizflow/flow-engine", "@vizflow/plugin-core"],
  // Native or WebAssembly packages load from node_modules at run time instead of being bundled:
  // PGlite must stay one module instance so the custom server and Next's bundles share a database.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "onnxruntime-node", "sharp"],
  poweredByHeader: false,
  reactStrictMode: true,
  webpack(config) {
    config.resolve ??= {};
    config.resolve.extensionAlias = { ...config.resolve.extensionAlias, ".js": [".ts", ".tsx", ".js"] };
    return config;
  },
};

export default nextConfig;
