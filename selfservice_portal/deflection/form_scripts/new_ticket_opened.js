// SSP: records that a requester opened Helpdesk's new-ticket form (a step of the portal journey).
// Installed as an HD Form Script by selfservice_portal; one cheap call, failures are ignored.
// Helpdesk v1.25.1 runs new-page scripts on the agent and the customer new-ticket page alike.
async function setupForm({ call }) {
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	if (!window.location.pathname.includes("/my-tickets/")) return { actions: [] };
	try {
		await call("selfservice_portal.api.deflection.log_portal_event", { event_type: "New Ticket Opened" });
	} catch (e) {
		// Tracking must never get in the requester's way.
	}
	return {
		actions: [
			{
				label: __("Browse the service catalog"),
				// iconLeft keeps the label: an `icon` makes frappe-ui's Button icon-only.
				iconLeft: "grid",
				onClick: () => window.location.assign("/service-catalog"),
			},
		],
	};
}
