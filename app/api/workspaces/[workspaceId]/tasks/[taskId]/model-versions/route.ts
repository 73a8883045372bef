import { handleModelUpload } from "@/_server/model-upload-route";
import { getServices } from "@/_server/services";

export async function POST(
  request: Request,
  context: { params: Promise<{ workspaceId: string; taskId: string }> },
): Promise<Response> {
  return handleModelUpload(request, await getServices(), await context.params);
}
