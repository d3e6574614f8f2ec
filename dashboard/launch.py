"""Start Streamlit's server on dashboard/app.py with st.navigation owning every URL.

Streamlit falls back to its legacy routing when a folder named `pages` sits beside
the entry script, until some session has called st.navigation: the first visitor
to /overview after a restart would get that page without the router — without the
sign-in gate and the shared sidebar. Declaring the flag before the server starts
closes that gap. Usage: `python -m dashboard.launch run dashboard/app.py [options]`.
"""

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    main()
