import { getServices } from "@/_server/services";

async function handler(req: Request): Promise<Response> {
  const { auth } = await getServices();
  return auth.handler(req);
}

export { handler as GET, handler as POST };
