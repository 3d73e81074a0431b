import '@backstage/cli/asset-types';
// Styles of Backstage UI, which the catalog's org cards are built with.
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import App from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
