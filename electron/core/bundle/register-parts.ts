import { disclosuresPart } from './disclosures-part.js';
import { evidencePart } from './evidence-part.js';
import { registerBundlePart } from './parts.js';
import { reportPart } from './report-part.js';

// The parts every bundle gets beyond its events (DESIGN §5), in order; report.pdf comes last so it
// can list the others. Imported by create-bundle.ts, so the app, the host and the CLI all have them.
registerBundlePart(evidencePart);
registerBundlePart(disclosuresPart);
registerBundlePart(reportPart);
