/* OpAssess room: the page each person opens on their own phone.
   Plain script with no framework and no build step: it is served offline by the
   facilitator's laptop under a policy that allows only this file and phone.css. */
'use strict';

(function () {
  // Calls are relative to the page (/r/<TOKEN>/), so the room token travels with each one.
  const ROOM = location.pathname;
  const PERSON_KEY = 'opassess:' + ROOM + ':person';
  const TIMEOUT_MS = 15000;
  const MAX_EVIDENCE = 4000;
  const SEND_RETRIES = 3;
  const NOT_SENT = 'Not sent — check you are on the room\'s Wi-Fi and try again.';
  const JOIN_AGAIN = 'This phone is no longer in the room. ' +
    'Please join again with the PIN on the facilitator\'s screen.';
  const NO_ROOM = 'Cannot reach the room — check you are on the room\'s Wi-Fi and try again.';
  const SCREENS = ['screen-loading', 'screen-pin', 'screen-names', 'screen-code',
    'screen-rating', 'screen-review', 'screen-received', 'screen-closed'];

  const state = {
    pin: '',          // kept in memory only, for api/claim
    join: null,       // the last api/join answer
    person: null,     // {token, name, words}, also kept in localStorage
    form: null,       // the api/form answer
    words: null,      // the framework's words: {dimension_word, dimensions_word, level_word, levels_word}
    answers: {},      // barrier id -> {stage, evidence}
    index: 0,         // the barrier on screen; barriers.length means the review
    savedAt: 0,       // when the answers last changed on this phone
    sentAt: 0,        // when this phone last had its answers accepted
    receivedAt: '',   // the server's "at" for the answers it holds
    storageWarned: false
  };

  const $ = (id) => document.getElementById(id);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function makeButton(className, text, onClick) {
    const button = element('button', className, text);
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }

  // The server gives the framework's words (a "barrier" or an "area" is rated on "stages" or
  // "levels"); the wording follows them. The defaults are the breakthrough model's.
  const DEFAULT_WORDS = { dimension_word: 'barrier', dimensions_word: 'barriers',
    level_word: 'stage', levels_word: 'stages' };

  // Only plain strings from an answer, so a missing or odd field falls back to the default.
  function pickWords(source) {
    const picked = {};
    Object.keys(DEFAULT_WORDS).forEach((key) => {
      if (source && typeof source[key] === 'string' && source[key]) picked[key] = source[key];
    });
    return picked;
  }

  function wordFor(key) {
    const person = state.person || {};
    // An older stored person kept only {word}: the thing being rated.
    const stored = Object.assign(pickWords({ dimension_word: person.word }), pickWords(person.words));
    return Object.assign({}, DEFAULT_WORDS, stored, pickWords(state.words))[key];
  }

  const word = () => wordFor('dimension_word');
  const words = () => wordFor('dimensions_word');
  const levelWord = () => wordFor('level_word');
  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const Word = () => capital(word());
  // 'a barrier', 'an area'
  const withArticle = (text) => (/^[aeiou]/i.test(text) ? 'an ' : 'a ') + text;

  // ---- Storage: a blocked or full localStorage must never stop the rating.
  function readStored(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }

  function writeStored(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      if (state.storageWarned) return;
      state.storageWarned = true;
      setStatus('This phone cannot keep a draft. Your answers stay while this page is open.', 'error');
    }
  }

  const draftKey = () => 'opassess:' + ROOM + ':draft:' + state.person.token;

  // changed=false records only the place or a send, so it does not make the draft "newer".
  function saveDraft(changed) {
    if (changed) state.savedAt = Date.now();
    writeStored(draftKey(), { answers: state.answers, index: state.index,
      savedAt: state.savedAt, sentAt: state.sentAt });
  }

  // The room no longer knows this phone (its name was freed): forget the person and their
  // draft, here and on screen, so whoever picks the name next on a shared phone finds nothing.
  function forgetPerson(message) {
    try {
      localStorage.removeItem(PERSON_KEY);
      if (state.person) localStorage.removeItem(draftKey());
    } catch (e) { /* nothing to forget */ }
    Object.assign(state, { person: null, form: null, answers: {}, index: 0,
      savedAt: 0, sentAt: 0, receivedAt: '' });
    $('person-line').hidden = true;
    $('evidence').value = '';
    ['stage-list', 'dots', 'review-list', 'closed-list'].forEach((id) => $(id).replaceChildren());
    setStatus('');
    pinProblem(message, false);
  }

  // ---- Talking to the laptop. Resolves to {status, data}; rejects only when unreachable.
  async function callApi(name, body, person) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (person) headers['X-Person'] = person;
    // A phone that has dropped off the Wi-Fi can wait a long time: give up and say so.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch('api/' + name, {
        method: body === undefined ? 'GET' : 'POST', headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'same-origin', signal: controller.signal
      });
      const data = await response.json().catch(() => null);
      return { status: response.status, data: data || {} };
    } finally {
      clearTimeout(timer);
    }
  }

  function serverError(result, fallback) {
    const text = result.data.error;
    return typeof text === 'string' && text ? text : fallback;
  }

  // Disables the buttons while a request is out, so a double tap sends once.
  async function withBusy(buttons, task) {
    buttons.forEach((b) => { b.disabled = true; });
    try { return await task(); } finally { buttons.forEach((b) => { b.disabled = false; }); }
  }

  // ---- Screens and messages
  function showScreen(id) {
    clearProblems();
    SCREENS.forEach((s) => { $(s).hidden = s !== id; });
    window.scrollTo(0, 0);
    // Focus the heading (or the loading line) so a screen reader starts at the new content,
    // and the focus is never left on a button that has just been hidden.
    const start = $(id).querySelector('[tabindex="-1"]');
    if (start) start.focus({ preventScroll: true });
  }

  // What went wrong is shown beside what the person was using, not only in the status line at
  // the foot of the page, which a long list can push out of sight.
  const MESSAGES = ['pin-message', 'names-message', 'code-message', 'review-message'];
  // What each control is described by when nothing is wrong.
  const HINTS = { 'pin': '', 'pin-button': '', 'code': 'code-hint', 'code-button': '',
    'submit': '', 'loading-retry': '' };

  function clearProblems() {
    MESSAGES.forEach((id) => { $(id).textContent = ''; $(id).hidden = true; });
    Object.keys(HINTS).forEach((id) => {
      $(id).removeAttribute('aria-invalid');
      if (HINTS[id]) $(id).setAttribute('aria-describedby', HINTS[id]);
      else $(id).removeAttribute('aria-describedby');
    });
  }

  // Shows `text` in the screen's message and moves the focus to `target`: the field that is
  // wrong (invalid=true), the button that was pressed, or the message itself. The buttons were
  // disabled while the request was out, which drops the focus to the page: this picks it up.
  function showProblem(messageId, text, target, invalid) {
    const message = $(messageId);
    message.textContent = text;
    message.hidden = false;
    if (target !== message) {
      if (invalid) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
      // The message is read out with the field or button, and any hint after it.
      target.setAttribute('aria-describedby', [messageId, HINTS[target.id]].filter(Boolean).join(' '));
    }
    focusOn(target);
    // The focus brings the field or button into view; this brings the message too.
    message.scrollIntoView({ block: 'nearest' });
  }

  function focusOn(target) {
    // Focusing what already has the focus says nothing to a screen reader: let go of it first.
    if (document.activeElement === target) target.blur();
    target.focus();
    // What they typed stays, selected, so it can be corrected or typed over at once.
    if (target.tagName === 'INPUT') target.select();
  }

  // Back to the PIN screen with the message there (a wrong or changed PIN, or join again).
  function pinProblem(text, invalid) {
    showScreen('screen-pin');
    showProblem('pin-message', text, $('pin'), invalid);
  }

  function setStatus(text, kind) {
    $('status').textContent = text || '';
    $('status').classList.toggle('status-error', kind === 'error');
  }

  function valueOrWarn(input, messageId, text) {
    const value = input.value.trim();
    if (!value) showProblem(messageId, text, input, true);
    return value;
  }

  // ---- 1. Join: PIN, then a name (or a one-person code when anonymous)
  async function onPinSubmit(event) {
    event.preventDefault();
    clearProblems();
    const pin = valueOrWarn($('pin'), 'pin-message',
      'Type the PIN shown on the facilitator\'s screen.');
    if (!pin) return;
    state.pin = pin.replace(/\s+/g, '');
    let result;
    try {
      result = await withBusy([$('pin-button')], () => callApi('join', { pin: state.pin }));
    } catch (e) {
      return showProblem('pin-message', NO_ROOM, $('pin-button'));
    }
    if (result.status === 200) return showJoined(result.data);
    // A wrong PIN marks the field; a lockout (429) keeps the PIN as typed, unmarked.
    pinProblem(serverError(result, 'The room did not accept that PIN. Please try again.'),
      result.data.field === 'pin');
  }

  // The names to choose from, or the code screen when the workshop is anonymous.
  function showJoined(data) {
    state.join = data;
    $('workshop-title').textContent = data.workshop || 'OpAssess';
    if (data.anonymous) return showScreen('screen-code');
    const people = Array.isArray(data.people) ? data.people : [];
    $('name-list').replaceChildren(...people.map((p) =>
      makeButton('choice', p.name, () => claim({ participant_id: p.id }))));
    $('no-names').hidden = people.length > 0;
    showScreen('screen-names');
  }

  function onCodeSubmit(event) {
    event.preventDefault();
    clearProblems();
    const code = valueOrWarn($('code'), 'code-message', 'Type the code the facilitator gave you.');
    if (code) claim({ code: code });
  }

  async function claim(choice) {
    clearProblems();
    const byCode = 'code' in choice;
    const buttons = Array.from(document.querySelectorAll('#name-list button, #code-button'));
    let result;
    try {
      result = await withBusy(buttons, () => callApi('claim', Object.assign({ pin: state.pin }, choice)));
    } catch (e) {
      return claimProblem(byCode, NO_ROOM, false);
    }
    if (result.status === 200) {
      state.person = { token: result.data.person, name: result.data.name || '',
        words: pickWords(state.join) };
      writeStored(PERSON_KEY, state.person);
      return loadForm();
    }
    const text = serverError(result, 'That did not work. Please try again.');
    // Only a wrong PIN (it may have changed since) goes back to the PIN screen.
    if (result.data.field === 'pin') return pinProblem(text, true);
    if (result.status === 409 && !byCode) await refreshNames();   // someone took that name
    claimProblem(byCode, text, result.data.field === 'code');
  }

  // The person stays where they are: on the code screen with what they typed, or on the names.
  function claimProblem(byCode, text, wrongCode) {
    if (byCode) showProblem('code-message', text, $('code'), wrongCode);
    else showProblem('names-message', text, $('names-message'));
  }

  // After a name was taken by someone else: the list as it is now, or as it was if the room
  // cannot say (the message already tells the person what happened).
  async function refreshNames() {
    try {
      const result = await callApi('join', { pin: state.pin });
      if (result.status === 200 && !result.data.anonymous) showJoined(result.data);
    } catch (e) { /* the list stays as it was */ }
  }

  // ---- 2. The form, fetched with the person token kept on this phone
  async function loadForm() {
    $('loading-text').textContent = 'Loading…';
    $('loading-text').classList.remove('message');
    $('loading-retry').hidden = true;
    showScreen('screen-loading');
    let result;
    try {
      result = await callApi('form', undefined, state.person.token);
    } catch (e) {
      return showLoadProblem(NO_ROOM);
    }
    if (result.status === 401) return forgetPerson(JOIN_AGAIN);
    if (result.status !== 200 || !Array.isArray(result.data.barriers)) {
      return showLoadProblem(serverError(result, 'The form could not be loaded. Please try again.'));
    }
    const form = state.form = result.data;
    state.words = pickWords(form);
    form.stages = Array.isArray(form.stages) ? form.stages : [];
    form.not_sure = form.not_sure || { id: 'not-sure', name: 'Not sure' };
    setStatus('');
    $('workshop-title').textContent = form.workshop || 'OpAssess';
    const name = form.name || state.person.name;
    $('person-line').textContent = name ? 'Rating as ' + name : 'Rating anonymously';
    $('person-line').hidden = false;
    $('dots').setAttribute('aria-label', 'Jump to ' + withArticle(word()));
    $('stage-prompt').textContent = 'Choose the ' + levelWord() +
      ' closest to what you have seen here.';
    const startAt = restoreAnswers();
    if (!form.open) showClosed();
    else if (startAt === 'received') showReceived();
    else goTo(startAt);
  }

  // The message is the loading line itself, and the focus goes to Try again, described by it.
  function showLoadProblem(text) {
    $('loading-text').textContent = text;
    $('loading-text').classList.add('message');   // looks like every other problem
    $('loading-retry').hidden = false;
    $('loading-retry').setAttribute('aria-describedby', 'loading-text');
    focusOn($('loading-retry'));
  }

  // ---- 4. Draft: what the room holds, unless this phone has changed it since
  // Returns where to start: a barrier index, the review (barriers.length) or 'received'.
  function restoreAnswers() {
    const draft = readStored(draftKey());
    const submitted = state.form.submitted;
    const hasDraft = !!(draft && draft.answers);
    const draftIsNewer = hasDraft && (draft.savedAt || 0) > (draft.sentAt || 0);
    state.savedAt = hasDraft ? draft.savedAt || 0 : 0;
    state.sentAt = hasDraft ? draft.sentAt || 0 : 0;
    state.receivedAt = submitted ? submitted.at || '' : '';
    if (submitted && !draftIsNewer) {
      state.answers = cleanAnswers(submitted.answers);
      state.sentAt = Date.now();   // this phone now matches what the room holds
      return 'received';
    }
    state.answers = cleanAnswers(hasDraft ? draft.answers : {});
    const last = state.form.barriers.length;
    return hasDraft ? Math.min(Math.max(Number(draft.index) || 0, 0), last) : 0;
  }

  // Keeps only barriers and stages this form knows, so an old draft cannot send nonsense.
  function cleanAnswers(raw) {
    const clean = {};
    const stageIds = stageOptions().map((s) => s.id);
    state.form.barriers.forEach((b) => {
      const given = raw && raw[b.id];
      if (!given) return;
      clean[b.id] = { stage: stageIds.includes(given.stage) ? given.stage : '',
        evidence: typeof given.evidence === 'string' ? given.evidence.slice(0, MAX_EVIDENCE) : '' };
    });
    return clean;
  }

  const stageOptions = () => state.form.stages.concat([state.form.not_sure]);
  const answerFor = (barrierId) => state.answers[barrierId] || { stage: '', evidence: '' };
  const isAnswered = (barrierId) => !!answerFor(barrierId).stage;
  const unansweredCount = () => state.form.barriers.filter((b) => !isAnswered(b.id)).length;

  function updateAnswer(barrierId, change) {
    state.answers[barrierId] = Object.assign({}, answerFor(barrierId), change);
    saveDraft(true);
  }

  // ---- 3. Rating, one barrier at a time
  function goTo(index) {
    if (index >= state.form.barriers.length) showReview();
    else showBarrier(Math.max(index, 0));
  }

  function showBarrier(index) {
    const barriers = state.form.barriers;
    const barrier = barriers[index];
    state.index = index;
    $('barrier-count').textContent = Word() + ' ' + (index + 1) + ' of ' + barriers.length;
    $('barrier-name').textContent = barrier.name;
    $('barrier-question').textContent = barrier.question || '';
    renderStageCards(barrier);
    $('evidence').value = answerFor(barrier.id).evidence || '';
    $('back').disabled = index === 0;
    $('next').textContent = index === barriers.length - 1 ? 'Check my answers' : 'Next';
    renderDots();
    showScreen('screen-rating');
    saveDraft(false);
  }

  function renderStageCards(barrier) {
    const descriptors = barrier.descriptors || {};
    $('stage-list').replaceChildren(...stageOptions().map((stage, i) => {
      const isNotSure = stage.id === state.form.not_sure.id;
      const card = makeButton('stage', undefined, () => chooseStage(barrier.id, stage.id));
      card.dataset.stage = stage.id;
      if (isNotSure) card.classList.add('stage-not-sure');
      else applyColour(card, stage.colour, i);
      const check = element('span', 'stage-check');
      check.setAttribute('aria-hidden', 'true');   // aria-pressed already says it
      const head = element('span', 'stage-head');
      head.append(element('span', 'stage-name', stage.name), check);
      card.appendChild(head);
      const points = Array.isArray(descriptors[stage.id]) ? descriptors[stage.id] : [];
      if (points.length) {
        const bullets = element('span', 'stage-points');
        points.forEach((text) => bullets.appendChild(element('span', 'stage-point', text)));
        card.appendChild(bullets);
      } else if (isNotSure || stage.summary) {
        card.appendChild(element('span', 'stage-hint',
          isNotSure ? 'You have not seen enough to say.' : stage.summary));
      }
      return card;
    }));
    markChosen(answerFor(barrier.id).stage);
  }

  // The policy blocks style attributes in markup, not properties set through the CSSOM;
  // the colour must be a plain hex value, else a palette class stands in.
  function applyColour(card, colour, i) {
    const plainHex = typeof colour === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour);
    if (plainHex) card.style.borderLeftColor = colour;
    else card.classList.add('stage-tone-' + (i % 4));
  }

  // Updates the cards in place, so the tapped card keeps focus.
  function markChosen(stageId) {
    $('stage-list').querySelectorAll('.stage').forEach((card) => {
      const chosen = card.dataset.stage === stageId;
      card.setAttribute('aria-pressed', String(chosen));
      card.classList.toggle('chosen', chosen);
      card.querySelector('.stage-check').textContent = chosen ? '✓ Chosen' : '';
    });
  }

  function chooseStage(barrierId, stageId) {
    updateAnswer(barrierId, { stage: stageId });
    markChosen(stageId);
    renderDots();
  }

  function onEvidenceInput() {
    const barrier = state.form.barriers[state.index];
    if (barrier) updateAnswer(barrier.id, { evidence: $('evidence').value.slice(0, MAX_EVIDENCE) });
  }

  function renderDots() {
    $('dots').replaceChildren(...state.form.barriers.map((b, i) => {
      const answered = isAnswered(b.id);
      const dot = makeButton(answered ? 'dot dot-answered' : 'dot', undefined, () => showBarrier(i));
      if (i === state.index) dot.setAttribute('aria-current', 'step');
      dot.setAttribute('aria-label', Word() + ' ' + (i + 1) + ': ' + b.name +
        (answered ? ', answered' : ', not answered'));
      return dot;
    }));
  }

  // ---- 5. Review and send
  function showReview() {
    state.index = state.form.barriers.length;
    fillAnswerList($('review-list'), state.answers, true);
    const missing = unansweredCount();
    $('submit').disabled = missing > 0;
    $('review-hint').textContent = missing === 0
      ? 'Everything is answered. Tap any ' + word() + ' to change it.'
      : (missing === 1 ? 'One ' + word() + ' is' : missing + ' ' + words() + ' are') +
        ' not answered yet. Tap one marked “Not answered” to answer it.';
    showScreen('screen-review');
    saveDraft(false);
  }

  const stageName = (id) => (stageOptions().find((s) => s.id === id) || {}).name || '';

  function firstWords(text, count) {
    const words = (text || '').trim().split(/\s+/).filter(Boolean);
    return words.slice(0, count).join(' ') + (words.length > count ? ' …' : '');
  }

  // One row per barrier; on the review each row is a button back to that barrier.
  function fillAnswerList(list, answers, tappable) {
    list.replaceChildren(...state.form.barriers.map((b, i) => {
      const answer = answers[b.id] || {};
      const row = tappable ? makeButton('review-row', undefined, () => showBarrier(i))
        : element('div', 'review-row');
      const name = stageName(answer.stage);
      row.append(element('span', 'review-name', b.name), name
        ? element('span', 'review-stage', name)
        : element('span', 'review-stage review-missing', 'Not answered'));
      const evidence = firstWords(answer.evidence, 12);
      if (evidence) row.appendChild(element('span', 'review-evidence', evidence));
      const item = element('li');
      item.appendChild(row);
      return item;
    }));
  }

  const answersToSend = () => Object.fromEntries(state.form.barriers.map((b) => [b.id,
    { stage: answerFor(b.id).stage, evidence: (answerFor(b.id).evidence || '').slice(0, MAX_EVIDENCE) }]));

  async function submitAnswers() {
    if (unansweredCount() > 0) return;
    clearProblems();
    setStatus('Sending…');
    // A dropped connection or a busy laptop is tried again by itself a few times before the
    // person is asked to: sending again only replaces the same answers, so it is safe.
    const send = async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const answer = await callApi('submit', { answers: answersToSend() }, state.person.token);
          if (answer.status !== 503 || attempt >= SEND_RETRIES) return answer;
        } catch (e) {
          if (attempt >= SEND_RETRIES) throw e;
        }
        setStatus('Sending again…');
        await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
      }
    };
    let result;
    try {
      result = await withBusy([$('submit'), $('review-back')], send);
    } catch (e) {
      return sendProblem(NOT_SENT);      // everything stays on the phone
    }
    if (result.status === 200) {
      state.sentAt = Date.now();
      state.receivedAt = result.data.at || '';
      saveDraft(false);
      setStatus('');
      showReceived();
    } else if (result.status === 401) {
      forgetPerson(JOIN_AGAIN);
    } else {
      // 409 (rating closed), 400 or 413: the server's own words, and nothing lost.
      sendProblem(serverError(result, 'Not sent. Please try again.'));
    }
  }

  // Just above the send button, which gets the focus back, so the message is in view there.
  function sendProblem(text) {
    setStatus('');
    showProblem('review-message', text, $('submit'));
  }

  function showReceived() {
    $('received-at').textContent = state.receivedAt ? 'Received at ' + state.receivedAt + '.' : '';
    showScreen('screen-received');
  }

  // ---- 6. Rating closed: read-only
  function showClosed() {
    const submitted = state.form.submitted;
    $('closed-text').textContent = submitted
      ? 'The facilitator has closed rating. These are the answers the room received' +
        (submitted.at ? ' at ' + submitted.at : '') + '.'
      : 'The facilitator closed rating before your answers were sent. ' +
        'These are the answers kept on this phone.';
    fillAnswerList($('closed-list'), submitted ? cleanAnswers(submitted.answers) : state.answers, false);
    showScreen('screen-closed');
  }

  // ---- Start
  function start() {
    $('pin-form').addEventListener('submit', onPinSubmit);
    $('code-form').addEventListener('submit', onCodeSubmit);
    $('names-back').addEventListener('click', () => showScreen('screen-pin'));
    $('loading-retry').addEventListener('click', () => loadForm());
    $('evidence').addEventListener('input', onEvidenceInput);
    $('back').addEventListener('click', () => goTo(state.index - 1));
    $('next').addEventListener('click', () => goTo(state.index + 1));
    $('review-back').addEventListener('click', () => goTo(state.form.barriers.length - 1));
    $('submit').addEventListener('click', submitAnswers);
    $('change').addEventListener('click', showReview);

    // A reload, or a phone waking from sleep, goes straight back to the form.
    const stored = readStored(PERSON_KEY);
    if (stored && typeof stored.token === 'string' && stored.token) {
      state.person = stored;
      loadForm();
    } else showScreen('screen-pin');
  }

  start();
}());
