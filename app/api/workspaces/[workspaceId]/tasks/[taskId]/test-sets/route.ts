import { getServices } from "@/_server/services";
import { handleTestSetUpload } from "@/_server/test-set-routes";

export async function POST(
  request: Request,
  context: { params: Promise<{ workspaceId: string; taskId: string }> },
): Promise<Response> {
  return handleTestSetUpload(request, await getServices(), await context.params);
}
