import { getServices } from "@/_server/services";
import { handleTestSetImage } from "@/_server/test-set-routes";

export async function GET(
  request: Request,
  context: { params: Promise<{ workspaceId: string; testSetId: string; position: string }> },
): Promise<Response> {
  return handleTestSetImage(request, await getServices(), await context.params);
}
