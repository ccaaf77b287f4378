async function load() {
  const f = await files.pick({ accept: ".csv" });
  return f.text();
}
const text = await load();
for await (const chunk of stream) console.log(chunk);
