// SSP: the way from any ticket in Helpdesk's customer portal back to the self-service home
// (/self-service: services, help articles, one's requests and approvals).
// Installed as an HD Form Script by selfservice_portal.
function setupForm() {
	return {
		actions: [
			{
				label: (window.__ || ((s) => s))("Self-service home"),
				// iconLeft, not icon: Helpdesk binds the whole action onto a frappe-ui Button, where
				// `icon` makes an icon-only button without its label.
				iconLeft: "home",
				onClick: () => (window.location.href = "/self-service"),
			},
		],
	};
}
