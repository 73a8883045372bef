import { handleTrpcRequest } from "@/_server/http";
import { getServices } from "@/_server/services";

function handler(req: Request): Promise<Response> {
  return handleTrpcRequest(req, getServices);
}

export { handler as GET, handler as POST };
