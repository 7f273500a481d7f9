// SSP: the way from any ticket in Helpdesk's customer portal back to our pages — the self-service
// home (services, help articles, one's requests and approvals), one's requests and the catalog.
// Installed as an HD Form Script by selfservice_portal.
//
// One "Self-service" menu rather than a button each: Helpdesk's header also holds the approval and
// plan buttons of a request's ticket, and five buttons covered the ticket's title, at desktop width
// too. Helpdesk's CustomActions makes one labelled dropdown of the actions with a `group` and a
// `buttonLabel`, and frappe-ui's Dropdown reads an option with a `group` as a group of `items`. On a
// phone the group goes into Helpdesk's "more" menu (no `buttonLabel`), beside the approval and plan.
function setupForm() {
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	const go = (href) => () => (window.location.href = href);
	const menu = __("Self-service");
	const group = {
		group: menu,
		items: [
			{ label: __("Self-service home"), icon: "home", onClick: go("/self-service") },
			{ label: __("My requests"), icon: "inbox", onClick: go("/my-requests") },
			{ label: __("Service catalog"), icon: "grid", onClick: go("/service-catalog") },
		],
	};
	if (window.innerWidth >= 640) {
		Object.assign(group, { buttonLabel: menu, hideLabel: true });
	}
	return { actions: [group] };
}
