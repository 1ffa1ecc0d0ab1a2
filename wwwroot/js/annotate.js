// The judge-pairs page (Features/Annotate): keyboard shortcuts, drafts kept in the browser, the time on the item.
const shortcutKeys = new Set(['1', '2', '3', '4', 'q', 'w', 'e', 's', 'u', 'l', 'r', 'enter', 'escape']);
const draftPrefix = 'annotatedpo.draft:';

function isTyping(target) {
    return target instanceof HTMLElement
        && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The draft field (data-draft-field on a wrapper) the element belongs to, if any. */
function draftFieldOf(target) {
    return target instanceof Element ? target.closest('[data-draft-field]') : null;
}

/** In an open dialog, Enter clicks its confirm button (unless another of its buttons has the focus) and Esc its cancel button. */
function answerDialog(dialog, event, key) {
    if (event.ctrlKey || (key === 'enter' && event.target instanceof HTMLButtonElement && dialog.contains(event.target))) return;
    const action = { enter: 'confirm', escape: 'cancel' }[key];
    const button = action ? dialog.querySelector(`[data-dialog-action="${action}"]`) : null;
    if (!button) return;
    event.preventDefault();
    button.click();
}

/**
 * Calls the page's OnShortcutAsync(key) for each shortcut. While typing only Ctrl+Enter counts ("save-rewrite" in the
 * rewrite editor, else "enter") and Escape in the rewrite editor ("cancel-rewrite"); while a dialog is open, none do:
 * Enter and Esc answer the dialog instead. Every keystroke in a draft field is saved to localStorage
 * at once, so a reload or a lost connection keeps it. Returns a handle to dispose.
 */
export function registerPage(page) {
    const onKeyDown = event => {
        const key = event.key.toLowerCase();
        if (!shortcutKeys.has(key) || event.altKey || event.metaKey || event.isComposing) return;
        const dialog = document.querySelector('.mud-dialog-container');
        if (dialog) {
            answerDialog(dialog, event, key);
            return;
        }
        const typing = isTyping(event.target);
        const inRewrite = draftFieldOf(event.target)?.dataset.draftField.startsWith('rewrite:') ?? false;
        let shortcut = key;
        if (event.ctrlKey) {
            if (key !== 'enter') return;
            if (inRewrite) shortcut = 'save-rewrite';
        } else if (typing) {
            if (!(key === 'escape' && inRewrite)) return;
            shortcut = 'cancel-rewrite';
        } else if (key === 'escape') {
            return;
        }
        event.preventDefault();
        // Leaving the field sends its value (bound on change) ahead of the shortcut, and makes the next keys shortcuts again.
        if (typing) event.target.blur();
        page.invokeMethodAsync('OnShortcutAsync', shortcut);
    };
    const onInput = event => {
        const field = draftFieldOf(event.target);
        if (!field || !isTyping(event.target)) return;
        const storageKey = draftPrefix + field.dataset.draftKey;
        const draft = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
        draft[field.dataset.draftField] = event.target.value;
        localStorage.setItem(storageKey, JSON.stringify(draft));
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('input', onInput);
    return {
        dispose: () => {
            document.removeEventListener('keydown', onKeyDown);
            document.removeEventListener('input', onInput);
            stopItemTimer();
        },
    };
}

/** The fields saved for the item (field name to text), or null when nothing was typed. */
export function loadDraft(key) {
    const stored = localStorage.getItem(draftPrefix + key);
    return stored === null ? null : JSON.parse(stored);
}

/** Forgets the named fields of the item's draft, or all of it when no names are given. */
export function clearDraft(key, names) {
    const storageKey = draftPrefix + key;
    if (!names || names.length === 0) {
        localStorage.removeItem(storageKey);
        return;
    }
    const draft = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    for (const name of names) delete draft[name];
    if (Object.keys(draft).length === 0) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify(draft));
}

let itemTimer = null;

function stopItemTimer() {
    if (itemTimer !== null) clearInterval(itemTimer);
    itemTimer = null;
}

/** Counts the minutes and seconds on the item in the element with the id, from now; the server keeps its own count. */
export function startItemTimer(elementId) {
    stopItemTimer();
    const started = performance.now();
    const show = () => {
        const element = document.getElementById(elementId);
        if (!element) return;
        const seconds = Math.floor((performance.now() - started) / 1000);
        element.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    };
    show();
    itemTimer = setInterval(show, 1000);
}
