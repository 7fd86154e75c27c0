/**
 * The debtor's pages built with the staff application's components, laid out for a phone and opened
 * from the portal's claim page: the mediation room (/portal/room?session=N, the same room component
 * as the staff side) and proposing a plan (/portal/plan?claim=N).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { THEME } from '../shell/theme';
import '../shell/app.css';
import { DebtorPlan } from './DebtorPlan';
import { DebtorRoom } from './DebtorRoom';

dayjs.locale('zh-cn');

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          {window.location.pathname === '/portal/plan' ? <DebtorPlan /> : <DebtorRoom />}
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
