import { Type } from 'typebox';

const IncidentID = Type.String({ minLength: 1, maxLength: 64 });
const Text = Type.String({ maxLength: 128 });
const Uuid = Type.String({ minLength: 1, maxLength: 64 });

export const LabelByNameRequest = Type.Object({ incidentID: IncidentID, key: Text, value: Text });
export const LabelByUuidRequest = Type.Object({ incidentID: IncidentID, keyUUID: Uuid, valueUUID: Uuid });
export const IncidentRef = Type.Object({ incidentID: IncidentID });
