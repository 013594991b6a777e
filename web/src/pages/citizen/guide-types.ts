/** The service guide of an item as `GET /v1/items/{code}` answers it. */
export interface Hall {
  id: string;
  name: string;
  address: string;
  region: string;
  openingHours?: string;
  phone?: string;
  location?: { lat: number; lng: number };
  agency?: { uscc: string; name: string };
}

export interface ServiceGuide {
  code: string;
  name: string;
  kind: string;
  department: string;
  audience: string[];
  themes: string[];
  aliases?: string[];
  legalBasis?: string;
  legalDays?: number;
  promisedDays?: number;
  onlineDepth?: number;
  onlineApply: boolean;
  fee: boolean;
  feeNote?: string;
  conditions: string[];
  materials: { name: string; required: boolean; note?: string; copies?: number; format?: string }[];
  windows: { name: string; address?: string; phone?: string; hours?: string }[];
  contactPhone?: string;
  region: { code: string; name: string; fullName: string };
  implementation?: { id: string; agency: { uscc: string; name: string } };
  halls: Hall[];
  lifeEventIds: string[];
}
