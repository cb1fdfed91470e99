// The upload page: plain browser JavaScript against the gateway's own API (/effects, /upload, /jobs, /image), no
// build step. Its effects and their parameters come from GET /effects, so a new effect shows up here by itself.
const $ = (id) => document.getElementById(id);
const EFFECTS = {};
const chain = [];
let file = null;
// A gateway with imageflow.gateway.auth.token set wants it on uploads and on the job listing. It is kept for this
// tab only (sessionStorage), and sent as a header, never in a URL: reads of one job need no token.
const TOKEN = 'imageflow.token';

function auth() {
  const token = sessionStorage.getItem(TOKEN);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function askForToken() {
  $('token-row').hidden = false;
  $('token').focus();
}

function renderChain() {
  const list = $('chain');
  list.innerHTML = '';
  chain.forEach((item, i) => {
    const li = document.createElement('li');
    li.dataset.effect = item.effect;
    li.append(item.effect);
    // Each step its own values, sent as "<step>.<param>": two blurs of one chain may differ.
    EFFECTS[item.effect].params.forEach((param) => {
      const label = document.createElement('label');
      label.textContent = param.name;
      label.title = param.description;
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', min: param.min, max: param.max, value: item.values[param.name],
        step: param.type === 'integer' ? 1 : 'any', required: true });
      input.name = `${i}.${param.name}`;
      input.addEventListener('input', () => { item.values[param.name] = input.value; });
      label.append(input);
      li.append(' ', label);
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '✕';
    remove.title = 'remove';
    remove.addEventListener('click', () => { chain.splice(i, 1); renderChain(); });
    li.append(' ', remove);
    list.append(li);
  });
  $('upload').disabled = !file || chain.length === 0;
}

function choose(chosen) {
  if (!chosen) return;
  file = chosen;
  $('drop-text').textContent = `${chosen.name} (${Math.round(chosen.size / 1024)} KB)`;
  renderChain();
}

function status(text, error) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!error);
}

function renderSteps(job) {
  const list = $('steps');
  list.innerHTML = '';
  job.effects.forEach((effect, i) => {
    const step = job.steps[i];
    const li = document.createElement('li');
    li.className = step ? 'step done' : 'step';
    li.innerHTML = step
      ? `<strong>${effect}</strong> ${step.width}×${step.height} in ${step.ms} ms <span class="pod">by ${step.pod}</span>`
      : `<strong>${effect}</strong> …`;
    list.append(li);
  });
}

async function poll(id) {
  for (;;) {
    const job = await (await fetch(`/jobs/${id}`)).json();
    renderSteps(job);
    if (job.status === 'done') {
      $('result').src = `${job.view_url}?t=${Date.now()}`;
      status(`Done: ${job.applied_effects.join(' → ')}`);
      return job;
    }
    if (job.status === 'failed') {
      status(`Failed: ${job.error}`, true);
      return job;
    }
    status(`Job ${id} is ${job.status}…`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function upload() {
  const form = new FormData();
  form.append('file', file);
  form.append('effects', chain.map((c) => c.effect).join(','));
  chain.forEach((c, i) => Object.entries(c.values).forEach(([name, value]) => form.append(`${i}.${name}`, value)));
  $('upload').disabled = true;
  status('Uploading…');
  try {
    const answer = await fetch('/upload', { method: 'POST', body: form, headers: { Prefer: 'respond-async', ...auth() } });
    const job = await answer.json();
    if (answer.status === 401) {
      askForToken();
      status(`${job.error}. Enter the access token and upload again.`, true);
      return;
    }
    if (answer.status === 429) {
      status(`${job.error}`, true);
      return;
    }
    if (!answer.ok && answer.status !== 202) {
      status(job.error || `HTTP ${answer.status}`, true);
      return;
    }
    $('progress').hidden = false;
    $('result').removeAttribute('src');
    $('original').src = job.original_url;
    $('image-link').href = job.view_url;
    $('job-link').href = job.job_url;
    await poll(job.id);
  } catch (e) {
    status(`Upload failed: ${e}`, true);
  } finally {
    $('upload').disabled = false;
    recent();
  }
}

async function recent() {
  const answer = await fetch('/jobs?limit=10', { headers: auth() });
  const list = $('recent');
  list.innerHTML = '';
  if (answer.status === 401) {
    // The listing is the operator's view: without the token the page shows only the job it started.
    const li = document.createElement('li');
    li.className = 'locked';
    li.textContent = 'The job listing needs the access token.';
    list.append(li);
    return;
  }
  const jobs = await answer.json();
  jobs.forEach((job) => {
    const li = document.createElement('li');
    li.innerHTML = `<a href="${job.view_url}" target="_blank">${job.id.slice(0, 8)}</a> `
      + `${job.effects.join(' → ')} · <span class="${job.status}">${job.status}</span>`
      + (job.processed_by_pod ? ` · ${job.processed_by_pod}` : '');
    list.append(li);
  });
}

async function effects() {
  const list = await (await fetch('/effects')).json();
  const add = $('add');
  list.forEach((effect) => {
    EFFECTS[effect.name] = effect;
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.add = effect.name;
    button.title = effect.description;
    button.textContent = `+ ${effect.name}`;
    button.addEventListener('click', () => {
      chain.push({ effect: effect.name, values: Object.fromEntries(effect.params.map((p) => [p.name, p.default])) });
      renderChain();
    });
    add.append(button);
  });
}

$('file').addEventListener('change', (e) => choose(e.target.files[0]));
const drop = $('drop');
['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
drop.addEventListener('drop', (e) => choose(e.dataTransfer.files[0]));
$('upload').addEventListener('click', upload);
$('token').value = sessionStorage.getItem(TOKEN) || '';
$('token-row').hidden = !$('token').value;
$('token').addEventListener('input', () => {
  const token = $('token').value.trim();
  if (token) sessionStorage.setItem(TOKEN, token); else sessionStorage.removeItem(TOKEN);
});
$('token').addEventListener('change', recent);
effects().then(renderChain);
recent();
