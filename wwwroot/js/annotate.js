// Keyboard shortcuts of the judge-pairs page (Features/Annotate).
const shortcutKeys = new Set(['1', '2', '3', '4', 'q', 'w', 'e', 's', 'u', 'enter']);

function isTyping(target) {
    return target instanceof HTMLElement
        && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Calls the page's OnShortcutAsync(key) for each shortcut; while typing only Ctrl+Enter counts. Returns a handle to dispose. */
export function registerShortcuts(page) {
    const onKeyDown = event => {
        const key = event.key.toLowerCase();
        if (!shortcutKeys.has(key) || event.altKey || event.metaKey || event.isComposing) return;
        const ctrlEnter = event.ctrlKey && key === 'enter';
        const typing = isTyping(event.target);
        if (typing ? !ctrlEnter : event.ctrlKey && !ctrlEnter) return;
        event.preventDefault();
        // Leaving the field sends its value (bound on change) ahead of the shortcut, and makes the next keys shortcuts again.
        if (typing) event.target.blur();
        page.invokeMethodAsync('OnShortcutAsync', key);
    };
    document.addEventListener('keydown', onKeyDown);
    return { dispose: () => document.removeEventListener('keydown', onKeyDown) };
}
