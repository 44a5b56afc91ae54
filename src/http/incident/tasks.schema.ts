import { Type } from 'typebox';

const IncidentID = Type.String({ minLength: 1, maxLength: 64 });
const TaskID = Type.String({ minLength: 1, maxLength: 64 });
const Text = Type.String({ maxLength: 4096 });
const UserID = Type.String({ maxLength: 128 });

export const AddTaskRequest = Type.Object({ incidentID: IncidentID, text: Text, assignToUserID: Type.Optional(UserID) });
export const TaskRef = Type.Object({ incidentID: IncidentID, taskID: TaskID });
export const UpdateTaskStatusRequest = Type.Object({
  incidentID: IncidentID,
  taskID: TaskID,
  status: Type.Enum(['todo', 'progress', 'done']),
});
export const UpdateTaskTextRequest = Type.Object({ incidentID: IncidentID, taskID: TaskID, text: Text });
export const UpdateTaskUserRequest = Type.Object({ incidentID: IncidentID, taskID: TaskID, userID: Type.Optional(UserID) });
