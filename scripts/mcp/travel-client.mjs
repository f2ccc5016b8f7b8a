// travel-client.mjs books the travel example's car through toolsmith's MCP
// run tool with the official TypeScript SDK client (scripts/test-mcp.sh runs
// it). Usage: node travel-client.mjs elicit URL
//             node travel-client.mjs resume URL_A URL_B
// "elicit": the client supports elicitation and answers the form (pickup
// time) and the yes/no confirmation; "resume": the client has no
// elicitation, gets the questions back with the session id, and answers
// them in later calls sent alternately to two replicas sharing one store.
// It exits non-zero, saying why, unless the car is booked (R-77031).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const modules = process.env.MCP_NODE_MODULES;
if (!modules) throw new Error("MCP_NODE_MODULES is not set (eval \"$(scripts/mcp-env.sh)\")");
const resolve = (m) => pathToFileURL(createRequire(modules + "/").resolve(m)).href;
const { Client } = await import(resolve("@modelcontextprotocol/sdk/client/index.js"));
const { StreamableHTTPClientTransport } = await import(resolve("@modelcontextprotocol/sdk/client/streamableHttp.js"));
const { ElicitRequestSchema } = await import(resolve("@modelcontextprotocol/sdk/types.js"));

const [mode, ...urls] = process.argv.slice(2);
const request = "Book me a rental car in San Diego";

function fail(msg, detail) {
  console.error("travel-client: " + msg);
  if (detail !== undefined) console.error(JSON.stringify(detail, null, 2));
  process.exit(1);
}

async function connect(url, elicit) {
  const client = new Client({ name: "travel-client", version: "1.0.0" }, { capabilities: elicit ? { elicitation: { form: {} } } : {} });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, elicit);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

function booked(result) {
  const reply = result.structuredContent;
  if (!reply) fail("the run result has no structured content", result);
  const calls = JSON.stringify(reply);
  if (reply.status !== "answered" || !calls.includes("R-77031")) fail("the car was not booked", reply);
  console.log("travel-client: " + mode + ": booked R-77031 in session " + reply.session_id);
}

if (mode === "elicit") {
  const asked = [];
  const client = await connect(urls[0], async (req) => {
    const props = req.params.requestedSchema.properties;
    asked.push(Object.keys(props));
    if ("pickup_time" in props) return { action: "accept", content: { pickup_time: "10:30" } };
    if ("confirm" in props) {
      if (!req.params.message.includes("RentalCars.ReserveCar")) fail("the confirmation does not name the call", req.params);
      return { action: "accept", content: { confirm: true } };
    }
    fail("unexpected elicitation", req.params);
  });
  const result = await client.callTool({ name: "run", arguments: { message: request } });
  if (JSON.stringify(asked) !== JSON.stringify([["pickup_time"], ["confirm"]])) fail("expected a pickup_time form, then a confirmation; got", asked);
  booked(result);
  await client.close();
} else if (mode === "resume") {
  const [a, b] = [await connect(urls[0]), await connect(urls[1])];
  let r = await a.callTool({ name: "run", arguments: { message: request } });
  let reply = r.structuredContent;
  if (reply?.status !== "needs_info" || reply.questions?.[0]?.slot !== "pickup_time") fail("expected the pickup time asked back", reply);
  r = await b.callTool({ name: "run", arguments: { session: reply.session_id, answers: { pickup_time: "10:30" } } });
  reply = r.structuredContent;
  if (reply?.status !== "needs_confirmation") fail("expected a confirmation asked back", reply);
  r = await a.callTool({ name: "run", arguments: { session: reply.session_id, message: "yes" } });
  booked(r);
  await a.close();
  await b.close();
} else {
  fail("usage: travel-client.mjs elicit URL | resume URL_A URL_B");
}
