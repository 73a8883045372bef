import { getServices } from "@/_server/services";
import { handleTrainingImage } from "@/_server/training-routes";

export async function GET(
  request: Request,
  context: { params: Promise<{ workspaceId: string; imageId: string; variant: string }> },
): Promise<Response> {
  return handleTrainingImage(request, await getServices(), await context.params);
}
