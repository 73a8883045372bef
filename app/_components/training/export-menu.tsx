import { DropdownMenu, MenuLabel, menuItemClasses } from "../ui/dropdown-menu";
import { buttonClasses } from "../ui/button";
import { exportHref } from "./task-routes";
import { FORMATS_BY_TYPE, type TaskTypeName } from "./training-format";

/** Download links for the set in every layout the export route writes for the task type. */
export function ExportMenu({
  workspaceId,
  taskId,
  taskType,
}: {
  workspaceId: string;
  taskId: string;
  taskType: TaskTypeName;
}) {
  return (
    <DropdownMenu
      trigger="Export"
      triggerLabel="Export the training set"
      triggerClassName={buttonClasses("outline", "sm")}
    >
      {(close) => (
        <>
          <MenuLabel>Download the set as a zip</MenuLabel>
          {FORMATS_BY_TYPE[taskType].map((f) => (
            <a
              key={f.id}
              role="menuitem"
              href={exportHref(workspaceId, taskId, f.id)}
              download
              data-export={f.id}
              className={menuItemClasses}
              onClick={close}
            >
              {f.title}
            </a>
          ))}
        </>
      )}
    </DropdownMenu>
  );
}
